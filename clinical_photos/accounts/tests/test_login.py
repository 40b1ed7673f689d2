from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinical_photos.accounts.middleware import LOGGED_IN_AT
from clinical_photos.accounts.tests.factories import PASSWORD, UserFactory
from clinical_photos.audit.models import Action, AuditEntry
from conftest import logged_in_client

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:verify_code")
HOME = reverse("home")


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key).token():06d}"


def log_in_with_password(client, user, password=PASSWORD):
    return client.post(LOGIN, {"email": user.email, "password": password})


def test_the_login_page_renders(client, db):
    response = client.get(LOGIN)
    page = response.page
    assert page.h1 == "Log in"
    assert "Demo only" not in response.page.source


def test_the_demo_login_page_says_the_second_factor_is_off(client, db, settings):
    settings.SECOND_FACTOR_REQUIRED = False
    assert "security code step is switched off" in client.get(LOGIN).page.text


def test_password_then_code_logs_in_and_writes_one_audit_entry(client, clinician):
    response = log_in_with_password(client, clinician)
    assert response["Location"] == CODE
    # Before the code, no staff page opens.
    assert client.get(HOME)["Location"] == CODE
    assert not AuditEntry.objects.filter(action=Action.LOGIN).exists()

    assert client.get(CODE).page.h1
    response = client.post(CODE, {"code": current_code(clinician)})
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200
    entry = AuditEntry.objects.get(action=Action.LOGIN)
    assert entry.user == clinician and entry.detail == {"second_factor": True}


def test_a_wrong_password_is_refused_with_a_clear_message(client, clinician):
    response = log_in_with_password(client, clinician, "not the password")
    page = response.page
    assert page.title.startswith("Error: Log in")
    assert "Enter the email address and password of an active account" in response.page.text
    assert client.get(HOME).status_code == 302
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED).count() == 1


def test_empty_fields_get_messages_linked_to_them(client, db):
    page = client.post(LOGIN, {"email": "", "password": ""}).page
    assert page.error_summary() == {
        "#id_email": "Enter your email address",
        "#id_password": "Enter your password",
    }


def test_a_wrong_code_is_refused(client, clinician):
    log_in_with_password(client, clinician)
    response = client.post(
        CODE, {"code": "000000" if current_code(clinician) != "000000" else "111111"}
    )
    assert "The security code is not right" in response.page.text
    assert client.get(HOME)["Location"] == CODE


def test_a_code_that_is_not_six_digits_gets_its_own_message(client, clinician):
    log_in_with_password(client, clinician)
    response = client.post(CODE, {"code": "12ab"})
    assert "Enter the security code as 6 digits" in response.page.text


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client, clinician):
    for _ in range(5):
        log_in_with_password(client, clinician, "wrong password")
    response = log_in_with_password(client, clinician)
    assert response.status_code == 403
    assert "Your account is locked for now" in response.page.text
    assert client.get(HOME).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, clinician, settings):
    for _ in range(5):
        log_in_with_password(client, clinician, "wrong password")
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in_with_password(client, clinician)["Location"] == CODE


def test_a_first_login_sets_up_the_authenticator_app(client, practice):
    user = UserFactory(practice=practice, email="new@riverside.test", with_device=False)
    response = log_in_with_password(client, user)
    assert response["Location"] == reverse("accounts:set_up_code")
    response = client.get(response["Location"])
    page = response.page
    assert len(page.select("main svg")) == 1
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        reverse("accounts:set_up_code"), {"code": f"{TOTP(device.bin_key).token():06d}"}
    )
    assert response["Location"] == HOME
    device.refresh_from_db()
    assert device.confirmed
    assert page.h1 == "Set up your security code"
    assert AuditEntry.objects.filter(action=Action.SECOND_FACTOR_SET_UP, user=user).count() == 1


def test_a_session_ends_after_15_minutes_idle(clinician, settings):
    client = logged_in_client(clinician)
    assert settings.SESSION_COOKIE_AGE == 15 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    session = client.session
    session.set_expiry(-1)  # as if 15 minutes had passed since the last request
    session.save()
    response = client.get(HOME)
    assert response.status_code == 302
    assert "ended=idle" in response["Location"]
    assert "did nothing for 15 minutes" in client.get(response["Location"]).page.text


def test_a_session_ends_12_hours_after_login_however_busy(clinician):
    client = logged_in_client(clinician)
    session = client.session
    session[LOGGED_IN_AT] = (timezone.now() - timedelta(hours=12, minutes=1)).isoformat()
    session.save()
    response = client.get(HOME)
    assert "ended=limit" in response["Location"]
    assert client.get(HOME).status_code == 302


def test_a_disabled_users_session_ends_at_once(clinician):
    client = logged_in_client(clinician)
    assert client.get(HOME).status_code == 200
    clinician.is_active = False
    clinician.save()
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_disabled_user_cannot_log_in(client, clinician):
    clinician.is_active = False
    clinician.save()
    response = log_in_with_password(client, clinician)
    assert "Enter the email address and password of an active account" in response.page.text


def test_logging_out_ends_the_session(clinician):
    client = logged_in_client(clinician)
    response = client.post(reverse("accounts:logout"))
    assert response.page.h1
    assert client.get(HOME).status_code == 302
    assert AuditEntry.objects.filter(action=Action.LOGOUT).count() == 1


def test_a_user_with_a_one_time_password_must_choose_their_own(clinician):
    clinician.must_change_password = True
    clinician.save()
    client = logged_in_client(clinician)
    assert client.get(HOME)["Location"] == reverse("accounts:change_password")
    response = client.post(reverse("accounts:change_password"), {"new_password": PASSWORD})
    assert "not your one-time password" in response.page.text
    response = client.post(reverse("accounts:change_password"), {"new_password": "short"})
    assert "too short" in response.page.text
    response = client.post(
        reverse("accounts:change_password"), {"new_password": "maple otter lantern 93"}
    )
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200
    clinician.refresh_from_db()
    assert clinician.check_password("maple otter lantern 93")


def test_the_next_page_is_kept_through_the_login(client, clinician):
    target = reverse("patients:search")
    response = client.get(target)
    assert response.status_code == 302
    response = client.post(LOGIN, {"email": clinician.email, "password": PASSWORD, "next": target})
    response = client.post(response["Location"], {"code": current_code(clinician), "next": target})
    assert response["Location"] == target


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/"])
def test_the_next_page_cannot_point_elsewhere(client, clinician, evil):
    client.post(LOGIN, {"email": clinician.email, "password": PASSWORD})
    response = client.post(CODE, {"code": current_code(clinician), "next": evil})
    assert response["Location"] == HOME


@pytest.mark.parametrize(
    "junk",
    # redirect() took each for the name of a view, found none, and answered with a 500.
    ["²", "patients", "1\r\nSet-Cookie: x=1"],
    ids=["superscript-two", "a-word", "line-break"],
)
def test_a_next_page_that_is_not_a_path_goes_to_the_start_page(client, clinician, junk):
    client.post(LOGIN, {"email": clinician.email, "password": PASSWORD})
    response = client.post(CODE, {"code": current_code(clinician), "next": junk})
    assert response["Location"] == HOME


def test_the_next_page_goes_on_to_the_code_page_encoded(client, clinician):
    response = client.post(
        LOGIN, {"email": clinician.email, "password": PASSWORD, "next": "/patients/?q=a&b\r\n"}
    )
    # Written into the header as it came, a line break was a server error.
    assert response["Location"] == f"{CODE}?next=%2Fpatients%2F%3Fq%3Da%26b%0D%0A"


def test_a_next_page_that_is_not_a_path_is_not_passed_on(client, clinician):
    response = client.post(LOGIN, {"email": clinician.email, "password": PASSWORD, "next": "²"})
    assert response["Location"] == CODE


def test_a_client_is_not_logged_in_by_cookie_from_another(clinician):
    assert Client().get(HOME).status_code == 302
