"""A clinician logs in with the second factor, finds a patient, asks for photos, reads the text
in the outbox, sends it again once the patient has started, and cancels the request. axe-core
checks every page on the way."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from clinical_photos.accounts.tests.factories import PASSWORD
from clinical_photos.patient_upload import services as upload_services
from clinical_photos.photos.tests.images import jpeg

from .conftest import check_accessibility

pytestmark = pytest.mark.django_db(transaction=True)


def given_i_log_in_as_a_clinician(page, clinician):
    """The one journey that logs in through the form; the others start logged in (login_as)."""
    page.goto("/")
    expect(page).to_have_title(re.compile("^Log in"))
    check_accessibility(page, "staff-01-login")
    page.get_by_label("Email address").fill(clinician.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    check_accessibility(page, "staff-02-security-code")
    device = TOTPDevice.objects.get(user=clinician)
    page.get_by_label("Enter your security code").fill(f"{TOTP(device.bin_key).token():06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=clinician.practice.name, exact=True)).to_be_visible()
    check_accessibility(page, "staff-03-home")


def when_i_find_the_patient(page, patient):
    page.get_by_role("link", name="Patients").first.click()
    page.get_by_label("NHS number or name").fill("943 476 5919")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 patient found")).to_be_visible()
    check_accessibility(page, "staff-04-search")
    page.get_by_role("link", name=patient.full_name).click()
    expect(page.get_by_role("heading", name=patient.full_name)).to_be_visible()
    check_accessibility(page, "staff-05-patient")


def when_i_ask_for_photos_of_a_rash_on_the_hand(page):
    page.get_by_role("button", name="Ask for photos").click()
    page.get_by_role("button", name=re.compile("^Send text")).click()
    expect(page).to_have_title(re.compile("^Error: Ask for photos"))
    expect(page.get_by_role("link", name="Choose what the photos are for")).to_be_visible()
    check_accessibility(page, "staff-06-request-errors")
    page.get_by_label("Rash").check()
    page.get_by_label("Hand", exact=True).check()
    page.get_by_label("Note to the patient (optional)").fill("Please include the back of the hand.")
    check_accessibility(page, "staff-07-request-form")
    page.get_by_role("button", name=re.compile("^Send text")).click()


def then_the_request_shows_the_text_was_delivered(page):
    expect(page.get_by_text("A text with a link has been sent")).to_be_visible()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Text delivered")
    check_accessibility(page, "staff-08-request")


def then_the_patient_gets_a_text_in_the_outbox(page, practice):
    page.get_by_role("link", name="Outbox").click()
    message = page.locator(".nhsuk-card").first
    expect(message).to_contain_text(practice.name)
    expect(message).to_contain_text("choice")
    link = message.get_by_role("link")
    expect(link).to_have_attribute("href", re.compile(r"/p/[A-Za-z0-9_-]{24}$"))
    check_accessibility(page, "staff-09-outbox")


def when_i_send_the_text_again_after_the_patient_has_started(page, patient):
    # The patient has added two photos through the link and not sent them yet.
    link = patient.photo_requests.get().current_link
    for n in range(2):
        upload_services.add_photo(link, jpeg(colour=(60 * n, 90, 80)), f"{n}.jpg", "close_up")
    page.get_by_role("link", name="Requests").click()
    page.get_by_role("link", name="Rash").click()
    page.get_by_role("button", name="Send the text again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send the text again?")
    expect(page.locator(".nhsuk-card--warning")).to_contain_text(
        "2 photos added but not sent yet. They will be carried over to the new link"
    )
    check_accessibility(page, "staff-09-send-again")
    page.get_by_role("button", name="Send the text again").click()
    expect(page.get_by_text("The 2 photos the patient added are on the new link")).to_be_visible()
    assert upload_services.unsent_photos(link).count() == 0


def when_i_cancel_the_request(page, patient):
    page.get_by_role("link", name="Requests").click()
    page.get_by_role("link", name="Rash").click()
    page.get_by_role("link", name="Cancel this request").click()
    check_accessibility(page, "staff-10-cancel")
    page.get_by_role("button", name="Cancel request").click()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Cancelled")
    expect(page.get_by_role("button", name="Send the text again")).to_have_count(0)
    check_accessibility(page, "staff-11-cancelled")


def test_a_clinician_asks_for_photos_and_cancels_the_request(page, clinician, patient, practice):
    given_i_log_in_as_a_clinician(page, clinician)
    when_i_find_the_patient(page, patient)
    when_i_ask_for_photos_of_a_rash_on_the_hand(page)
    then_the_request_shows_the_text_was_delivered(page)
    then_the_patient_gets_a_text_in_the_outbox(page, practice)
    when_i_send_the_text_again_after_the_patient_has_started(page, patient)
    when_i_cancel_the_request(page, patient)
