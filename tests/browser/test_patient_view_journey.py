"""A clinician sends a patient a link to their photos of the hand; the patient, on a small phone,
opens it, gives a wrong then the right date of birth, sees their photos oldest first and
downloads one; the clinician then stops the link, and the patient's next page says so. With
JavaScript on and off, axe-core on every step."""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from clinical_photos.photo_requests.tests.factories import HAND, KNEE
from clinical_photos.records.tests.factories import file_photos, on, send_view_link, view_token_of

from .conftest import check_accessibility, login_as

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hand_photos(patient, clinician):
    first = file_photos(by=clinician, patient=patient, sent_on=on(2025, 3, 7), labels=("where",))
    later = file_photos(
        by=clinician,
        patient=patient,
        sent_on=on(2025, 5, 1),
        labels=("close_up",),
        colour=(90, 160, 200),
    )
    file_photos(by=clinician, patient=patient, body_site=KNEE, labels=("where",))
    return first + later


def given_a_clinician_sent_a_link_to_the_hand_photos(clinician, patient) -> str:
    return send_view_link(by=clinician, patient=patient, body_site=HAND)


def when_i_open_the_link_and_give_a_wrong_date_of_birth(page, token):
    page.goto(f"/v/{token}")
    expect(page.get_by_role("heading", name="What is your date of birth?")).to_be_visible()
    expect(page.get_by_text("Ada")).to_have_count(0)
    check_accessibility(page, "patient-view-01-date-of-birth")
    page.get_by_label("Day").fill("7")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("1990")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile("^Error: What is your date of birth"))
    expect(page.get_by_role("link", name=re.compile("does not match"))).to_be_visible()
    check_accessibility(page, "patient-view-02-wrong-date")


def and_then_the_right_one(page):
    page.get_by_label("Year").fill("1984")
    page.get_by_role("button", name="Continue").click()


def then_i_see_my_hand_photos_oldest_first(page, hand_photos):
    expect(page.get_by_role("heading", name="Your photos of your hand", level=1)).to_be_visible()
    assert page.url.endswith("/v/photos/")
    dates = page.locator("main").get_by_role("heading", level=2).all_inner_texts()
    assert dates == ["7 March 2025", "1 May 2025"]
    images = page.locator("img.nhsuk-image__img")
    expect(images).to_have_count(2)
    for index in range(2):
        images.nth(index).scroll_into_view_if_needed()
        expect(images.nth(index)).to_have_js_property("complete", True)
        assert images.nth(index).evaluate("img => img.naturalWidth") > 0
    check_accessibility(page, "patient-view-03-photos")


def and_i_can_download_the_first(page, hand_photos):
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download the photo from 7 March 2025")).click()
    path = download.value.path()
    assert download.value.suggested_filename == "photo-2025-03-07.jpg"
    with open(path, "rb") as file:
        assert hashlib.sha256(file.read()).hexdigest() == hand_photos[0].sha256


def go_to_the_send_page_as(page, clinician, patient):
    login_as(page, clinician)
    page.goto(f"/v/send/{patient.id}/")
    expect(
        page.get_by_role("heading", name=re.compile("^Send Ada Lovelace a link"))
    ).to_be_visible()


def when_the_clinician_stops_the_link(page, clinician, patient):
    go_to_the_send_page_as(page, clinician, patient)
    links_sent = page.get_by_role("table", name=re.compile("^Links sent to Ada Lovelace"))
    expect(links_sent.get_by_role("row")).to_have_count(2)  # its head and the one link
    check_accessibility(page, "patient-view-stop-01-links-sent")
    links_sent.get_by_role("link", name=re.compile("^Stop the link to photos of the hand")).click()
    expect(page.get_by_role("heading", name="Stop this link working?", level=1)).to_be_visible()
    check_accessibility(page, "patient-view-stop-02-confirm")
    page.get_by_role("button", name="Stop the link").click()
    expect(
        page.get_by_text("The link to Ada Lovelace's photos of the hand no longer works")
    ).to_be_visible()
    expect(links_sent.get_by_role("cell", name=re.compile("Stopped by Gp"))).to_be_visible()
    expect(links_sent.get_by_role("link")).to_have_count(0)
    check_accessibility(page, "patient-view-stop-03-stopped")


def then_my_next_page_says_the_link_no_longer_works(page):
    page.reload()
    expect(page.get_by_role("heading", name="This link no longer works", level=1)).to_be_visible()
    expect(page.get_by_text("Your GP surgery has stopped this link")).to_be_visible()
    expect(page.locator("img.nhsuk-image__img")).to_have_count(0)
    check_accessibility(page, "patient-view-05-stopped")


@pytest.mark.screens("phone", "phone-without-javascript")
def test_the_patient_sees_and_downloads_their_photos_until_the_link_is_stopped(
    page, other_page, clinician, patient, hand_photos
):
    token = given_a_clinician_sent_a_link_to_the_hand_photos(clinician, patient)
    when_i_open_the_link_and_give_a_wrong_date_of_birth(page, token)
    and_then_the_right_one(page)
    then_i_see_my_hand_photos_oldest_first(page, hand_photos)
    and_i_can_download_the_first(page, hand_photos)
    when_the_clinician_stops_the_link(other_page, clinician, patient)
    then_my_next_page_says_the_link_no_longer_works(page)


def when_someone_tries_five_wrong_dates_of_birth(page, token):
    page.goto(f"/v/{token}")
    for _ in range(5):
        page.get_by_label("Day").fill("1")
        page.get_by_label("Month").fill("1")
        page.get_by_label("Year").fill("1990")
        page.get_by_role("button", name="Continue").click()


def then_the_link_is_locked_and_names_no_one(page):
    expect(page.get_by_role("heading", name="This link has been locked")).to_be_visible()
    expect(page.get_by_text("Lovelace")).to_have_count(0)
    check_accessibility(page, "patient-view-04-locked")


@pytest.mark.screens("phone", "phone-without-javascript")
def test_a_locked_link_says_so_without_naming_the_patient(page, clinician, patient, hand_photos):
    token = given_a_clinician_sent_a_link_to_the_hand_photos(clinician, patient)
    when_someone_tries_five_wrong_dates_of_birth(page, token)
    then_the_link_is_locked_and_names_no_one(page)


def given_i_am_a_clinician_on_the_patients_send_page(page, clinician, patient):
    go_to_the_send_page_as(page, clinician, patient)
    check_accessibility(page, "patient-view-send-01")


def when_i_send_without_choosing_then_choose_the_hand(page):
    page.get_by_role("button", name="Send link").click()
    expect(page).to_have_title(re.compile("^Error: Send Ada Lovelace a link"))
    check_accessibility(page, "patient-view-send-02-error")
    page.get_by_label("Hand").check()
    page.get_by_role("button", name="Send link").click()


def then_the_patient_is_texted_a_link(page, patient):
    expect(page.get_by_text("A text with a link to their photos of the hand")).to_be_visible()
    assert view_token_of(patient)


def test_the_clinician_sends_the_link(page, clinician, patient, hand_photos):
    given_i_am_a_clinician_on_the_patients_send_page(page, clinician, patient)
    when_i_send_without_choosing_then_choose_the_hand(page)
    then_the_patient_is_texted_a_link(page, patient)
