"""The people every app's tests meet (a practice, its staff by role, a patient) and the clients
they use, each of which checks every page it receives (core/tests/page_checks.py).

Each app keeps its own fixtures in its own tests/conftest.py and its factories in
tests/factories.py; only the people and their clients live here.
"""

import pytest
from django.conf import settings

from clinical_photos.accounts.models import Practice, Role, User
from clinical_photos.accounts.tests.factories import PracticeFactory, UserFactory, start_session
from clinical_photos.core.tests.page_checks import PageClient
from clinical_photos.patients.models import Patient
from clinical_photos.patients.tests.factories import MOBILE, NHS_NUMBER, PatientFactory

pytest_plugins = ["clinical_photos.core.tests.isolation"]


@pytest.fixture
def practice(db) -> Practice:
    return PracticeFactory(name="Riverside Surgery", ods_code="Y00001")


@pytest.fixture
def other_practice(db) -> Practice:
    return PracticeFactory(name="Hilltop Medical Centre", ods_code="Y00002")


@pytest.fixture
def clinician(practice) -> User:
    return UserFactory(practice=practice, role=Role.CLINICIAN, email="gp@riverside.test")


@pytest.fixture
def admin_user(practice) -> User:
    return UserFactory(practice=practice, role=Role.ADMIN, email="reception@riverside.test")


@pytest.fixture
def manager(practice) -> User:
    return UserFactory(
        practice=practice, role=Role.PRACTICE_MANAGER, email="manager@riverside.test"
    )


@pytest.fixture
def other_clinician(other_practice) -> User:
    return UserFactory(practice=other_practice, role=Role.CLINICIAN, email="gp@hilltop.test")


@pytest.fixture
def patient(practice) -> Patient:
    """Ada Lovelace, born 7 March 1984, a patient of Riverside Surgery."""
    return PatientFactory(practice=practice, nhs_number=NHS_NUMBER, mobile=MOBILE)


@pytest.fixture
def client() -> PageClient:
    """Someone not logged in (pytest-django's client, checking every page)."""
    return PageClient()


def logged_in_client(user: User) -> PageClient:
    """A client past both factors, as after a real login (the login itself is tested apart)."""
    client = PageClient()
    client.cookies[settings.SESSION_COOKIE_NAME] = start_session(user).session_key
    return client


@pytest.fixture
def clinician_client(clinician) -> PageClient:
    return logged_in_client(clinician)


@pytest.fixture
def admin_team_client(admin_user) -> PageClient:
    return logged_in_client(admin_user)


@pytest.fixture
def manager_client(manager) -> PageClient:
    return logged_in_client(manager)


@pytest.fixture
def other_clinician_client(other_clinician) -> PageClient:
    return logged_in_client(other_clinician)
