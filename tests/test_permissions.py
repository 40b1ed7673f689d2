"""Every staff page says what it needs, and a refusal says what the role may not do.

Like GOV.UK Notify's `test_routes_have_permissions_decorators`: a new staff page that declares
no permission fails here the day it is added, before anyone can open it by mistake.
"""

import pytest
from django.urls import reverse

from clinical_photos.accounts.models import Role
from clinical_photos.accounts.permissions import (
    ROLE_PERMISSIONS,
    Permission,
    Refused,
    require,
)
from clinical_photos.accounts.tests.factories import UserFactory
from tests.conftest import named_patterns


def _staff_views():
    for name, pattern in named_patterns():
        view = pattern.callback
        # LoginRequiredMiddleware lets through only views marked login_not_required: the
        # patients' own pages, the login page, GOV.UK Notify's callback and public pages.
        if getattr(view, "login_required", True):
            yield name, view


def test_every_staff_page_declares_a_permission():
    undeclared = [name for name, view in _staff_views() if not hasattr(view, "permission")]
    assert not undeclared, (
        "These staff pages declare no permission. Add @permission_required(Permission.X) "
        f"(clinical_photos/accounts/permissions.py): {undeclared}"
    )


def test_the_check_finds_staff_pages():
    names = {name for name, _ in _staff_views()}
    # A page of each kind, so that the test above cannot pass by finding nothing.
    assert {"home", "inbox:list", "record:photo_image", "practice:users"} <= names
    assert "patient_upload:open_link" not in names
    assert "accounts:login" not in names


def test_every_role_has_its_permissions_and_every_permission_a_role():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    granted = set().union(*ROLE_PERMISSIONS.values())
    assert granted == set(Permission), f"granted to no role: {set(Permission) - granted}"


def test_what_each_role_may_do(clinician, admin_user, manager):
    assert clinician.may(Permission.SEE_PHOTOS)
    assert not admin_user.may(Permission.SEE_PHOTOS)
    assert not manager.may(Permission.SEE_PHOTOS)
    assert admin_user.may(Permission.FILE_SUBMISSIONS)
    assert not manager.may(Permission.FILE_SUBMISSIONS)
    assert manager.may(Permission.EXPORT_RECORD)
    assert not clinician.may(Permission.MANAGE_PRACTICE)


def test_a_disabled_user_may_do_nothing(clinician):
    clinician.is_active = False

    assert not any(clinician.may(permission) for permission in Permission)
    with pytest.raises(Refused):
        require(clinician, Permission.SEE_RECORD)


def test_a_permission_that_does_not_exist_is_an_error_not_a_no(clinician):
    # A template that misspells a permission must fail its page checks, not hide a button.
    with pytest.raises(ValueError):
        clinician.may("see_fotos")


def test_a_service_refuses_a_record_of_another_practice(clinician, other_clinician):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        require(other_clinician, Permission.SEE_RECORD, of=clinician)


def test_the_refusal_page_says_what_the_role_may_not_do(admin_team_client, practice):
    other = UserFactory(practice=practice, role=Role.CLINICIAN)
    response = admin_team_client.get(reverse("practice:disable_user", args=[other.id]))

    assert response.status_code == 403
    text = response.page.text
    assert "You cannot open this page" in text
    assert "Only practice managers can change the practice's settings." in text
