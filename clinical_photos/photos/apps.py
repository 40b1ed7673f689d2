from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "clinical_photos.photos"
    label = "photos"

    def ready(self):
        from . import checks  # noqa: F401 (registers the start-up check)
