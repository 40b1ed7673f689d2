from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.patients.tests.factories import dob_form
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photo_requests.models import PatientLink
from clinical_photos.photo_requests.tests.factories import token_of

from .conftest import client_for

AGREEMENT = reverse("patient_upload:agreement")
NOT_A_DATE = {"#id_date_of_birth_0": "Date of birth must be a real date"}


def open_url(token):
    return reverse("patient_upload:open_link", args=[token])


def test_a_valid_link_shows_only_the_practice_and_asks_for_a_date_of_birth(client, token, practice):
    response = client.get(open_url(token))
    page = response.page
    assert page.h1 == "What is your date of birth?"
    assert practice.name in page.text
    assert "Lovelace" not in page.source and "Rash" not in page.source
    assert response["Cache-Control"].startswith("max-age=0")
    assert AuditEntry.objects.filter(action=Action.LINK_OPENED).count() == 1


@pytest.mark.parametrize(
    ("make_state", "title"),
    [
        ("unknown", "This link does not work"),
        ("cancelled", "This request has been cancelled"),
        ("replaced", "This link has been replaced"),
        ("expired", "This link has expired"),
        ("used", "This link has already been used"),
        ("locked", "This link has been locked"),
    ],
)
def test_a_link_that_no_longer_works_says_why_without_naming_the_patient(
    client, photo_request, token, clinician, make_state, title
):
    link = photo_request.current_link
    if make_state == "unknown":
        token = "A" * 24
    elif make_state == "cancelled":
        request_services.cancel_request(by=clinician, photo_request=photo_request)
    elif make_state == "replaced":
        request_services.resend_request(by=clinician, photo_request=photo_request)
    elif make_state == "expired":
        PatientLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(1))
    elif make_state == "used":
        client_for(photo_request).post(reverse("patient_upload:decline"), {"reason": ""})
    elif make_state == "locked":
        PatientLink.objects.filter(pk=link.pk).update(locked_at=timezone.now())
    page = client.get(open_url(token)).page
    assert page.h1 == title
    assert "Lovelace" not in page.source and "Ada" not in page.source
    assert "In an emergency, call 999." in page.text  # a dead end still says where help is


def test_the_right_date_of_birth_swaps_the_token_for_a_session(client, token, settings):
    response = client.post(open_url(token), dob_form())
    assert response.status_code == 302
    assert response["Location"] == AGREEMENT
    assert token not in response["Location"]
    cookie = response.cookies[settings.PATIENT_SESSION_COOKIE_NAME]
    assert settings.PATIENT_SESSION_COOKIE_NAME.startswith("__Host-")
    assert cookie["secure"] and cookie["httponly"] and cookie["path"] == "/"
    assert cookie["max-age"] == 30 * 60
    assert token not in cookie.value
    assert client.get(AGREEMENT).status_code == 200
    assert AuditEntry.objects.filter(action=Action.PATIENT_VERIFIED).count() == 1


def test_a_wrong_date_and_an_unknown_link_get_the_same_answer(client, token):
    wrong = client.post(open_url(token), dob_form(year=1985))
    unknown = client.post(open_url("B" * 24), dob_form(year=1985))
    assert wrong.status_code == unknown.status_code == 200
    message = (
        "The date of birth does not match the one your GP surgery has for you. "
        "Check it and try again"
    )
    for response in (wrong, unknown):
        assert response.page.error_summary() == {"#id_date_of_birth_0": message}


def test_five_wrong_dates_lock_the_link_whatever_comes_next(client, token, photo_request):
    for _ in range(5):
        client.post(open_url(token), dob_form(year=1990))
    response = client.post(open_url(token), dob_form())
    assert response.page.h1 == "This link has been locked"
    assert AGREEMENT not in response.get("Location", "")
    link = photo_request.current_link
    assert link.locked_at is not None and link.failed_date_of_birth_attempts == 5
    assert AuditEntry.objects.filter(action=Action.LINK_LOCKED).count() == 1


def test_the_practice_sees_a_locked_link_on_the_request(
    client, token, photo_request, clinician_client
):
    for _ in range(5):
        client.post(open_url(token), dob_form(year=1990))
    page = clinician_client.get(reverse("photo_requests:detail", args=[photo_request.id])).page
    details = page.summary_list()
    assert details["Status"] == "Link locked"
    assert details["Link"].startswith("Locked after 5 wrong dates of birth.")


def test_an_address_trying_many_dates_is_told_to_wait(client, settings, db):
    settings.DATE_OF_BIRTH_RATE_LIMIT = "3/h"
    for _ in range(3):
        client.post(open_url("C" * 24), dob_form(year=1990))
    response = client.post(open_url("D" * 24), dob_form())
    assert response.status_code == 429
    assert response.page.h1 == "Too many tries"


def test_a_date_of_birth_that_is_not_a_date_gets_a_clear_message(client, token):
    response = client.post(open_url(token), dob_form(day=31, month=2))
    assert response.page.error_summary() == NOT_A_DATE
    response = client.post(open_url(token), {})
    assert response.page.error_summary() == {"#id_date_of_birth_0": "Enter your date of birth"}


def test_pages_after_the_date_of_birth_need_the_session(client, token):
    response = client.get(reverse("patient_upload:choose_photos"))
    assert response.status_code == 403
    assert response.page.h1 == "Open the link in your text"


def test_a_session_that_timed_out_says_so(patient_client, settings):
    # The cookie is still sent but its signature is older than 30 minutes.
    settings.PATIENT_SESSION_MINUTES = 0
    response = patient_client.get(reverse("patient_upload:choose_photos"))
    assert response.status_code == 403
    assert response.page.h1 == "Your session has ended"
    assert "Any photos you already added are kept" in response.page.text


def test_the_token_in_the_text_opens_the_page(client, photo_request):
    token = token_of(photo_request)
    assert len(token) >= 22
    response = client.get(open_url(token))
    assert response.status_code == 200
    assert response.page.h1 == "What is your date of birth?"


@pytest.mark.parametrize(
    "part",
    # Too long, or with a NUL: each stopped in one of the three boxes with Django's own words
    # ("Ensure this value has at most 10 characters", "Null characters are not allowed.").
    [{"day": "1" * 11}, {"year": str(2**64)}, {"month": "3\x00"}],
    ids=["day-too-long", "year-too-long", "nul-in-month"],
)
def test_a_box_that_cannot_hold_a_date_says_so_in_plain_words(client, token, patient, part):
    page = client.post(open_url(token), dob_form(**part)).page
    assert page.error_summary() == NOT_A_DATE
    assert "Ensure this value" not in page.source and "Null characters" not in page.source
    assert patient.photo_requests.get().current_link.failed_date_of_birth_attempts == 0


LAST_TRY = "If the date of birth you enter does not match again, this link will be locked"


def test_before_the_last_try_the_patient_is_told_what_one_more_wrong_date_does(
    client, token, practice
):
    for _ in range(3):
        assert LAST_TRY not in client.post(open_url(token), dob_form(year=1990)).page.text
    page = client.post(open_url(token), dob_form(year=1990)).page
    assert page.h1 == "What is your date of birth?"
    assert LAST_TRY in page.text
    # What to do instead: call the surgery, whose number is on the page.
    assert f"call {practice.name} on 0161 496 0000" in page.text
    # Still said when the patient opens the link again later.
    assert LAST_TRY in client.get(open_url(token)).page.text
    # The right date still opens it.
    assert client.post(open_url(token), dob_form())["Location"] == AGREEMENT


def test_a_link_that_does_not_exist_never_warns(client, db):
    for _ in range(5):
        page = client.post(open_url("E" * 24), dob_form(year=1990)).page
        assert LAST_TRY not in page.text
