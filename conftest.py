"""Fixtures every app's tests share: a practice, its staff by role, and logged-in clients.

Each app keeps its own fixtures in its own tests/conftest.py; only the people live here.
"""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinical_photos.accounts.models import Practice, Role, User
from clinical_photos.photo_requests.models import RequestTemplate

PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits count in the cache: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def photo_storage(settings, tmp_path):
    """Each test stores photos in a folder of its own, removed afterwards."""
    settings.PHOTO_STORAGE_DIR = tmp_path / "photos"
    return settings.PHOTO_STORAGE_DIR


@pytest.fixture
def practice(db) -> Practice:
    return make_practice("Riverside Surgery", "Y00001")


@pytest.fixture
def other_practice(db) -> Practice:
    return make_practice("Hilltop Medical Centre", "Y00002")


def make_practice(name: str, ods_code: str) -> Practice:
    practice = Practice.objects.create(name=name, ods_code=ods_code, phone="0161 496 0000")
    RequestTemplate.objects.create(
        practice=practice,
        name="Rash",
        patient_message="We would like to see the rash you told us about.",
        admins_may_use=True,
    )
    RequestTemplate.objects.create(
        practice=practice,
        name="Mole",
        patient_message="We would like to see the mole you are worried about.",
        admins_may_use=False,
    )
    return practice


def make_user(practice: Practice, role: str, email: str, *, with_device=True) -> User:
    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        full_name=email.split("@")[0].title(),
        practice=practice,
        role=role,
    )
    if with_device:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


@pytest.fixture
def clinician(practice) -> User:
    return make_user(practice, Role.CLINICIAN, "gp@riverside.test")


@pytest.fixture
def admin_user(practice) -> User:
    return make_user(practice, Role.ADMIN, "reception@riverside.test")


@pytest.fixture
def manager(practice) -> User:
    return make_user(practice, Role.PRACTICE_MANAGER, "manager@riverside.test")


@pytest.fixture
def other_clinician(other_practice) -> User:
    return make_user(other_practice, Role.CLINICIAN, "gp@hilltop.test")


def logged_in_client(user: User) -> Client:
    """A client past both factors, as after a real login (the login itself is tested apart)."""
    from django.utils import timezone

    from clinical_photos.accounts.middleware import LOGGED_IN_AT

    client = Client()
    client.force_login(user)
    session = client.session
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session["otp_device_id"] = device.persistent_id
    session[LOGGED_IN_AT] = timezone.now().isoformat()
    session.save()
    return client


@pytest.fixture
def clinician_client(clinician) -> Client:
    return logged_in_client(clinician)


@pytest.fixture
def admin_team_client(admin_user) -> Client:
    return logged_in_client(admin_user)


@pytest.fixture
def manager_client(manager) -> Client:
    return logged_in_client(manager)


@pytest.fixture
def other_clinician_client(other_clinician) -> Client:
    return logged_in_client(other_clinician)
