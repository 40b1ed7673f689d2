"""Fixtures for the accounts app's tests: a manager at another practice."""

import pytest
from django.test import Client

from clinical_photos.accounts.models import Role, User
from conftest import logged_in_client, make_user


@pytest.fixture
def other_manager(other_practice) -> User:
    return make_user(other_practice, Role.PRACTICE_MANAGER, "manager@hilltop.test")


@pytest.fixture
def other_manager_client(other_manager) -> Client:
    return logged_in_client(other_manager)
