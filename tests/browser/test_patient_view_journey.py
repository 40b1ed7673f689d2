"""A clinician sends a patient a link to their photos of the hand; the patient, on a small phone,
opens it, gives a wrong then the right date of birth, sees their photos oldest first and
downloads one. With JavaScript on and off, axe-core on every step."""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from clinical_photos.records.patient_view import services as patient_view_services
from clinical_photos.records.subject_access.tests.test_export_support import (
    HAND,
    KNEE,
    URLCONF,
    file_photos,
    make_patient,
    on,
    view_token_of,
)

from .conftest import check_accessibility
from .test_staff_journey import given_i_am_logged_in_as_a_clinician

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls(URLCONF)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PHONES = {"phone": PHONE, "phone-without-javascript": {**PHONE, "java_script_enabled": False}}


@pytest.fixture(params=list(PHONES))
def phone(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, accept_downloads=True, **PHONES[request.param]
    )
    context.javascript_enabled = PHONES[request.param].get("java_script_enabled", True)
    page = context.new_page()
    page.screen_name = request.param
    page.set_default_timeout(15_000)
    requested_hosts: set[str] = set()
    page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))
    yield page
    context.close()
    own = live_server.url.split("/")[2]
    assert requested_hosts <= {own}, f"the pages asked other hosts: {requested_hosts - {own}}"


@pytest.fixture
def patient(practice):
    return make_patient(practice)


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
    patient_view_services.send_view_link(by=clinician, patient=patient, body_site_code=HAND)
    return view_token_of(patient)


def when_i_open_the_link_and_give_a_wrong_date_of_birth(phone, token):
    phone.goto(f"/v/{token}")
    expect(phone.get_by_role("heading", name="What is your date of birth?")).to_be_visible()
    expect(phone.get_by_text("Ada")).to_have_count(0)
    check_accessibility(phone, "patient-view-01-date-of-birth")
    phone.get_by_label("Day").fill("7")
    phone.get_by_label("Month").fill("3")
    phone.get_by_label("Year").fill("1990")
    phone.get_by_role("button", name="Continue").click()
    expect(phone).to_have_title(re.compile("^Error: What is your date of birth"))
    expect(phone.get_by_role("link", name=re.compile("does not match"))).to_be_visible()
    check_accessibility(phone, "patient-view-02-wrong-date")


def and_then_the_right_one(phone):
    phone.get_by_label("Year").fill("1984")
    phone.get_by_role("button", name="Continue").click()


def then_i_see_my_hand_photos_oldest_first(phone, hand_photos):
    expect(phone.get_by_role("heading", name="Your photos of your hand", level=1)).to_be_visible()
    assert phone.url.endswith("/v/photos/")
    dates = phone.locator("main").get_by_role("heading", level=2).all_inner_texts()
    assert dates == ["7 March 2025", "1 May 2025"]
    images = phone.locator("img.nhsuk-image__img")
    expect(images).to_have_count(2)
    for index in range(2):
        images.nth(index).scroll_into_view_if_needed()
        expect(images.nth(index)).to_have_js_property("complete", True)
        assert images.nth(index).evaluate("img => img.naturalWidth") > 0
    check_accessibility(phone, "patient-view-03-photos")


def and_i_can_download_the_first(phone, hand_photos):
    with phone.expect_download() as download:
        phone.get_by_role("link", name=re.compile("^Download the photo from 7 March 2025")).click()
    path = download.value.path()
    assert download.value.suggested_filename == "photo-2025-03-07.jpg"
    with open(path, "rb") as file:
        assert hashlib.sha256(file.read()).hexdigest() == hand_photos[0].sha256


def test_the_patient_sees_and_downloads_their_photos(phone, clinician, patient, hand_photos):
    token = given_a_clinician_sent_a_link_to_the_hand_photos(clinician, patient)
    when_i_open_the_link_and_give_a_wrong_date_of_birth(phone, token)
    and_then_the_right_one(phone)
    then_i_see_my_hand_photos_oldest_first(phone, hand_photos)
    and_i_can_download_the_first(phone, hand_photos)


def test_a_locked_link_says_so_without_naming_the_patient(phone, clinician, patient, hand_photos):
    token = given_a_clinician_sent_a_link_to_the_hand_photos(clinician, patient)
    phone.goto(f"/v/{token}")
    for _ in range(5):
        phone.get_by_label("Day").fill("1")
        phone.get_by_label("Month").fill("1")
        phone.get_by_label("Year").fill("1990")
        phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("heading", name="This link has been locked")).to_be_visible()
    expect(phone.get_by_text("Lovelace")).to_have_count(0)
    check_accessibility(phone, "patient-view-04-locked")


def test_the_clinician_sends_the_link(page, clinician, patient, hand_photos):
    given_i_am_logged_in_as_a_clinician(page, clinician)
    page.goto(f"/v/send/{patient.id}/")
    expect(
        page.get_by_role("heading", name=re.compile("^Send Ada Lovelace a link"))
    ).to_be_visible()
    check_accessibility(page, "patient-view-send-01")
    page.get_by_role("button", name="Send link").click()
    expect(page).to_have_title(re.compile("^Error: Send Ada Lovelace a link"))
    check_accessibility(page, "patient-view-send-02-error")
    page.get_by_label("Hand").check()
    page.get_by_role("button", name="Send link").click()
    expect(page.get_by_text("A text with a link to their photos of the hand")).to_be_visible()
    assert view_token_of(patient)
