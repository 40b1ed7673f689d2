"""The practice manager's user pages: list, add, disable and enable."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinical_photos.accounts.models import Role, User
from clinical_photos.accounts.tests.factories import PASSWORD
from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import PageClient
from conftest import logged_in_client

ADD_URL = reverse("practice:add_user")


def _sessions_of(user: User) -> list[Session]:
    return [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]


def one_time_password(page) -> str:
    [password] = page.text_of(".app-one-time-password")
    return password


def _can_log_in(email: str, password: str) -> bool:
    """The password step of the real login page accepts these (the code step comes next)."""
    response = PageClient().post(reverse("accounts:login"), {"email": email, "password": password})
    return response.status_code == 302 and "/login/" in response["Location"]


def _new_user(**overrides) -> dict:
    return {
        "full_name": "Priya Shah",
        "email": "priya.shah@riverside.test",
        "role": Role.CLINICIAN,
        **overrides,
    }


# The list


def test_manager_sees_the_practices_users_only(
    manager_client, manager, clinician, admin_user, other_clinician
):
    clinician.is_caldicott_guardian = True
    clinician.save()
    admin_user.is_active = False
    admin_user.save()

    response = manager_client.get(reverse("practice:users"))

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Users"
    for user in (manager, clinician, admin_user):
        assert user.email in page.text
    assert other_clinician.email not in page.source
    assert "Disabled" in page.text
    assert "Caldicott Guardian" in page.text
    offered = page.hrefs("main")
    assert reverse("practice:disable_user", args=[clinician.id]) in offered
    assert reverse("practice:enable_user", args=[admin_user.id]) in offered
    # A manager is never offered to disable themselves.
    assert reverse("practice:disable_user", args=[manager.id]) not in page.source


# Adding a user


def test_manager_sees_the_add_user_form(manager_client):
    response = manager_client.get(ADD_URL)

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Add a user"
    form = page.form()
    assert form.options("role") == [role.value for role in Role]
    assert "is_caldicott_guardian" in form.names


def test_manager_adds_a_user_and_sees_the_password_once(manager_client, manager, practice):
    response = manager_client.post(
        ADD_URL, _new_user(email="Priya.Shah@Riverside.test", is_caldicott_guardian="on")
    )

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Give Priya Shah their one-time password"
    assert "no-store" in response["Cache-Control"]
    user = User.objects.get(email="priya.shah@riverside.test")
    assert user.practice == practice
    assert user.role == Role.CLINICIAN
    assert user.is_caldicott_guardian
    assert user.is_active
    assert user.must_change_password
    assert "Priya Shah has been added" in page.text
    # The password on the page is the one that works, and it is strong.
    password = one_time_password(page)
    assert len(password.replace("-", "")) >= 16
    assert user.check_password(password)
    assert _can_log_in(user.email, password)
    entries = AuditEntry.objects.filter(action=Action.USER_CREATED)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user == manager
    assert entry.object_id == str(user.id)
    assert entry.detail == {"role": "clinician", "caldicott_guardian": True}
    # Nothing personal, and never the password, goes into the audit log.
    for text in (password, user.email, user.full_name):
        assert text not in str(entry.detail)

    # The password is not kept anywhere a later page could show it.
    users_page = manager_client.get(reverse("practice:users"))
    assert password not in users_page.page.source
    for session in Session.objects.all():
        assert password not in str(session.get_decoded())


def test_each_new_user_gets_a_different_password(manager_client):
    passwords = set()
    for n in range(3):
        response = manager_client.post(ADD_URL, _new_user(email=f"person{n}@riverside.test"))
        passwords.add(one_time_password(response.page))
    assert len(passwords) == 3


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (_new_user(full_name=""), "full_name", "Enter the person's full name"),
        (_new_user(full_name="   "), "full_name", "Enter the person's full name"),
        (_new_user(email=""), "email", "Enter the person's email address"),
        (_new_user(email="priya"), "email", "Enter an email address in the correct format"),
        (_new_user(role=""), "role", "Choose the person's role"),
        (_new_user(role="superuser"), "role", "Choose one of the roles listed"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(manager_client, data, field, message):
    before = User.objects.count()

    response = manager_client.post(ADD_URL, data)

    assert response.status_code == 200
    page = response.page
    assert page.title.startswith("Error: Add a user")
    # The error summary links to the field, and the field has that id.
    errors = page.error_summary()
    assert list(errors) == [f"#id_{field}"]
    assert message in errors[f"#id_{field}"]
    assert User.objects.count() == before
    assert not AuditEntry.objects.filter(action=Action.USER_CREATED).exists()


@pytest.mark.parametrize("email", ["gp@riverside.test", "GP@Riverside.TEST", "gp@hilltop.test"])
def test_an_email_address_already_in_use_is_refused(
    manager_client, clinician, other_clinician, email
):
    before = User.objects.count()

    response = manager_client.post(ADD_URL, _new_user(email=email))

    assert response.status_code == 200
    assert response.page.h1
    assert "This email address is already used by another account" in response.page.text
    assert User.objects.count() == before
    assert not AuditEntry.objects.filter(action=Action.USER_CREATED).exists()


# Disabling a user


def test_manager_sees_the_disable_confirmation(manager_client, clinician):
    response = manager_client.get(reverse("practice:disable_user", args=[clinician.id]))

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Disable Gp's account?"
    clinician.refresh_from_db()
    assert clinician.is_active


def test_disabling_a_user_logs_them_out_at_once(manager_client, manager, clinician):
    their_client = logged_in_client(clinician)
    assert their_client.get(reverse("patients:search")).status_code == 200
    assert _sessions_of(clinician)

    response = manager_client.post(
        reverse("practice:disable_user", args=[clinician.id]), follow=True
    )

    assert response.page.h1
    assert "Gp's account has been disabled" in response.page.text
    clinician.refresh_from_db()
    assert not clinician.is_active
    assert not _sessions_of(clinician)
    next_page = their_client.get(reverse("patients:search"))
    assert next_page.status_code == 302
    assert next_page["Location"].startswith(reverse("accounts:login"))
    # Their authenticator app stays linked, ready for when the account is enabled again.
    assert TOTPDevice.objects.filter(user=clinician, confirmed=True).exists()
    # The manager is still logged in.
    assert manager_client.get(reverse("practice:users")).status_code == 200
    entries = AuditEntry.objects.filter(action=Action.USER_DISABLED)
    assert entries.count() == 1
    assert entries.get().user == manager
    assert entries.get().object_id == str(clinician.id)
    assert entries.get().detail == {"sessions_ended": 1}


def test_enabling_again_does_not_bring_back_an_old_session(manager_client, clinician):
    their_client = logged_in_client(clinician)
    manager_client.post(reverse("practice:disable_user", args=[clinician.id]))
    manager_client.post(reverse("practice:enable_user", args=[clinician.id]))

    response = their_client.get(reverse("patients:search"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_disabled_user_cannot_log_in(manager_client, clinician):
    manager_client.post(reverse("practice:disable_user", args=[clinician.id]))

    assert not _can_log_in(clinician.email, PASSWORD)


@pytest.mark.parametrize(
    ("name", "active", "when_shown", "when_sent", "action"),
    [
        ("practice:disable_user", False, "is already disabled", "was already disabled",
         Action.USER_DISABLED),
        ("practice:enable_user", True, "is already active", "was already active",
         Action.USER_ENABLED),
    ],
)  # fmt: skip
def test_asking_for_what_is_already_so_says_so_and_changes_nothing(
    manager_client, clinician, name, active, when_shown, when_sent, action
):
    clinician.is_active = active
    clinician.save()
    url = reverse(name, args=[clinician.id])

    shown = manager_client.get(url, follow=True)
    sent = manager_client.post(url, follow=True)

    for response, message in ((shown, when_shown), (sent, when_sent)):
        assert response.status_code == 200
        assert f"Gp's account {message}" in response.page.notification_banners()[0]
    assert not AuditEntry.objects.filter(action=action).exists()
    clinician.refresh_from_db()
    assert clinician.is_active is active


def test_a_manager_cannot_disable_themselves(manager_client, manager):
    url = reverse("practice:disable_user", args=[manager.id])

    for response in (manager_client.get(url, follow=True), manager_client.post(url, follow=True)):
        assert response.status_code == 200
        assert response.page.h1
        assert "You cannot disable your own account" in response.page.text
    manager.refresh_from_db()
    assert manager.is_active
    assert _sessions_of(manager)
    assert not AuditEntry.objects.filter(action=Action.USER_DISABLED).exists()


# Enabling a user


def test_manager_enables_a_disabled_user(manager_client, manager, clinician):
    clinician.is_active = False
    clinician.save()
    url = reverse("practice:enable_user", args=[clinician.id])

    confirm = manager_client.get(url)
    assert confirm.status_code == 200
    assert confirm.page.h1

    response = manager_client.post(url, follow=True)

    assert response.page.h1
    assert "Gp's account has been enabled" in response.page.text
    clinician.refresh_from_db()
    assert clinician.is_active
    assert _can_log_in(clinician.email, PASSWORD)
    entries = AuditEntry.objects.filter(action=Action.USER_ENABLED)
    assert entries.count() == 1
    assert entries.get().user == manager


def test_another_practices_user_cannot_be_disabled(manager_client, other_clinician):
    response = manager_client.post(reverse("practice:disable_user", args=[other_clinician.id]))

    assert response.status_code == 404
    assert response.page.h1
    other_clinician.refresh_from_db()
    assert other_clinician.is_active
    assert not AuditEntry.objects.filter(action=Action.USER_DISABLED).exists()
