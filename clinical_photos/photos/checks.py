from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def photo_keys_are_usable(app_configs, **kwargs):
    """A bad key setting stops the service at start-up, not at a patient's first upload."""
    from .crypto import KeyRing

    try:
        KeyRing.from_settings()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="photos.E001")]
    return []
