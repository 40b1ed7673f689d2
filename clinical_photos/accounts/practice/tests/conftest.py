"""Fixtures for the practice manager's pages: a manager at another practice."""

import pytest

from clinical_photos.accounts.models import Role, User
from clinical_photos.accounts.tests.factories import UserFactory
from conftest import logged_in_client


@pytest.fixture
def other_manager(other_practice) -> User:
    return UserFactory(
        practice=other_practice, role=Role.PRACTICE_MANAGER, email="manager@hilltop.test"
    )


@pytest.fixture
def other_manager_client(other_manager):
    return logged_in_client(other_manager)
