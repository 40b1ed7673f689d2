"""The practice services check who is acting, whatever calls them."""

import pytest
from django.core.exceptions import PermissionDenied

from clinical_photos.accounts.models import Role
from clinical_photos.accounts.practice import services
from clinical_photos.audit.models import AuditEntry


def test_one_time_passwords_are_long_and_random():
    passwords = {services.generate_one_time_password() for _ in range(200)}

    assert len(passwords) == 200
    for password in passwords:
        letters = password.replace("-", "")
        assert len(letters) >= 16
        assert set(letters) <= set(services.PASSWORD_ALPHABET)


@pytest.mark.parametrize("acting", ["clinician", "admin_user", "other_manager"])
def test_only_the_practices_own_manager_may_act(request, acting, practice, clinician, admin_user):
    by = request.getfixturevalue(acting)
    target = admin_user if acting != "admin_user" else clinician

    with pytest.raises(PermissionDenied):
        services.disable_user(by=by, user=target)
    if acting != "other_manager":
        with pytest.raises(PermissionDenied):
            services.add_user(
                by=by,
                full_name="A B",
                email="a@b.test",
                role=Role.CLINICIAN,
                is_caldicott_guardian=False,
            )
        with pytest.raises(PermissionDenied):
            services.set_link_lifetime(by=by, days=3)
    assert not AuditEntry.objects.exists()


def test_a_disabled_manager_may_not_act(manager, clinician):
    manager.is_active = False
    manager.save()

    with pytest.raises(PermissionDenied):
        services.disable_user(by=manager, user=clinician)


def test_a_manager_cannot_disable_themselves(manager):
    with pytest.raises(services.CannotDisableSelf):
        services.disable_user(by=manager, user=manager)
    assert not AuditEntry.objects.exists()


def test_a_duplicate_email_is_refused_even_past_the_form(manager, clinician):
    with pytest.raises(services.DuplicateEmail):
        services.add_user(
            by=manager,
            full_name="Another",
            email=clinician.email,
            role=Role.ADMIN,
            is_caldicott_guardian=False,
        )
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("days", [0, 15])
def test_link_lifetime_out_of_range_is_refused(manager, days):
    with pytest.raises(ValueError):
        services.set_link_lifetime(by=manager, days=days)
