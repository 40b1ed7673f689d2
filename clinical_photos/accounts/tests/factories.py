"""Practices and their staff, as the tests need them."""

from importlib import import_module

import factory
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from clinical_photos.accounts.middleware import LOGGED_IN_AT
from clinical_photos.accounts.models import Practice, Role, User

PASSWORD = "correct horse battery staple 42"
TEMPLATES = "clinical_photos.photo_requests.tests.factories.RequestTemplateFactory"


class PracticeFactory(DjangoModelFactory):
    """A practice with the two kinds of request most tests ask for: a rash, which the admin
    team may ask about, and a mole, which only clinicians may."""

    class Meta:
        model = Practice
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Surgery {n}")
    ods_code = factory.Sequence(lambda n: f"Y{n + 10:05d}")
    phone = "0161 496 0000"
    rash = factory.RelatedFactory(
        TEMPLATES,
        "practice",
        name="Rash",
        patient_message="We would like to see the rash you told us about.",
        admins_may_use=True,
    )
    mole = factory.RelatedFactory(
        TEMPLATES,
        "practice",
        name="Mole",
        patient_message="We would like to see the mole you are worried about.",
        admins_may_use=False,
    )


class TOTPDeviceFactory(DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    name = "Authenticator app"
    confirmed = True


class UserFactory(DjangoModelFactory):
    """A member of staff who has set up their authenticator app (`with_device=False`: not yet)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        with_device = True

    email = factory.Sequence(lambda n: f"staff{n}@surgery.test")
    # As a manager would type it: "gp@riverside.test" is Gp.
    full_name = factory.LazyAttribute(lambda user: user.email.split("@")[0].title())
    practice = factory.SubFactory(PracticeFactory)
    role = Role.CLINICIAN
    device = factory.Maybe("with_device", factory.RelatedFactory(TOTPDeviceFactory, "user"), None)

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return model_class.objects.create_user(*args, password=PASSWORD, **fields)


def start_session(user: User) -> SessionBase:
    """A saved session of a user past both factors, as a real login leaves it (the login
    itself has tests of its own): the browser or test client that presents it is logged in."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LOGGED_IN_AT] = timezone.now().isoformat()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session["otp_device_id"] = device.persistent_id
    session.save()
    return session
