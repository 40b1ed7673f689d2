"""A patient on a small phone opens the link from their text, gives a wrong then the right date
of birth, reads what they agree to, chooses photos and sends them; another patient says they
would rather not. With JavaScript on and off, axe-core on every step."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from clinical_photos.patient_upload.tests.conftest import jpeg, png, token_of
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photo_requests.models import PhotoRequest

from .conftest import check_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

PHONES = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "phone-without-javascript": {
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "java_script_enabled": False,
    },
}


@pytest.fixture(params=list(PHONES))
def phone(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONES[request.param])
    context.javascript_enabled = PHONES[request.param].get("java_script_enabled", True)
    page = context.new_page()
    page.screen_name = request.param
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def photo_request(practice, clinician):
    patient = Patient.objects.create(
        practice=practice,
        nhs_number="9434765919",
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=date(1984, 3, 7),
        mobile="+447700900123",
    )
    return request_services.create_request(
        by=clinician,
        patient=patient,
        template=practice.request_templates.get(name="Rash"),
        body_site_codes=["85562004"],
    )


@pytest.fixture
def photo_files(tmp_path):
    files = []
    for number in range(1, 6):
        path = tmp_path / (f"photo{number}.png" if number == 3 else f"photo{number}.jpg")
        path.write_bytes(png() if number == 3 else jpeg(colour=(40 * number, 90, 120)))
        files.append(str(path))
    return files


def enter_date_of_birth(page, day, month, year):
    page.get_by_label("Day").fill(day)
    page.get_by_label("Month").fill(month)
    page.get_by_label("Year").fill(year)
    page.get_by_role("button", name="Continue").click()


def given_i_open_the_link_in_my_text(page, photo_request):
    page.goto(f"/p/{token_of(photo_request)}")
    expect(page.get_by_role("heading", name="What is your date of birth?")).to_be_visible()
    check_accessibility(page, "patient-01-date-of-birth")


def when_i_give_a_wrong_then_the_right_date_of_birth(page):
    enter_date_of_birth(page, "7", "3", "1985")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("link", name=re.compile("does not match"))).to_be_visible()
    check_accessibility(page, "patient-02-wrong-date-of-birth")
    enter_date_of_birth(page, "7", "3", "1984")
    expect(page).to_have_url(re.compile(r"/p/about/$"))
    check_accessibility(page, "patient-03-agreement")


def when_i_choose_five_photos(page, photo_files):
    page.get_by_role("button", name="Continue to send photos").click()
    check_accessibility(page, "patient-04-tips")
    page.get_by_role("button", name="Choose your photos").click()
    check_accessibility(page, "patient-05-choose")
    for number, path in enumerate(photo_files, start=1):
        page.locator(f"input[type=file][name=photo_{number}]").set_input_files(path)
    page.get_by_label("Anything you want to tell the surgery (optional)").fill("It itches.")
    if page.context.javascript_enabled:
        # Each photo uploads as soon as it is chosen. These are small, plain test pictures,
        # so the checks advise taking them again; the patient sends them anyway.
        expect(page.get_by_role("img", name="Preview of photo 1")).to_be_visible()
        for number in range(1, len(photo_files) + 1):
            slot = page.locator(f"[data-photo-slot='{number}']")
            expect(slot.get_by_role("button", name="Send it anyway")).to_be_visible()
        check_accessibility(page, "patient-06-previews")
    page.get_by_role("button", name="Continue", exact=True).click()


def then_i_check_and_send_them(page, practice):
    expect(
        page.get_by_role("heading", name="Check your photos before you send them")
    ).to_be_visible()
    page.get_by_role("button", name=re.compile("^Send photos")).click()
    expect(page).to_have_title(re.compile("^Error: "))
    check_accessibility(page, "patient-07-check-errors")
    page.get_by_label("I agree to these photos being stored").check()
    page.get_by_role("button", name=re.compile("^Send photos")).click()
    expect(page.get_by_text(f"We sent 5 photos to {practice.name}")).to_be_visible()
    check_accessibility(page, "patient-08-sent")


def test_a_patient_sends_five_photos_from_a_phone(phone, photo_request, photo_files, practice):
    given_i_open_the_link_in_my_text(phone, photo_request)
    when_i_give_a_wrong_then_the_right_date_of_birth(phone)
    when_i_choose_five_photos(phone, photo_files)
    then_i_check_and_send_them(phone, practice)
    photo_request.refresh_from_db()
    assert photo_request.status == PhotoRequest.Status.ANSWERED
    assert photo_request.response.photos.count() == 5


def test_a_patient_says_they_would_rather_not_send_photos(phone, photo_request, practice):
    given_i_open_the_link_in_my_text(phone, photo_request)
    enter_date_of_birth(phone, "7", "3", "1984")
    phone.get_by_role("link", name="I don't want to send photos").click()
    check_accessibility(phone, "patient-09-decline")
    phone.get_by_label("Tell the surgery why (optional)").fill("I would rather come in.")
    phone.get_by_role("button", name="Tell the surgery").click()
    expect(phone.get_by_text(f"We told {practice.name}")).to_be_visible()
    check_accessibility(phone, "patient-10-declined")
    photo_request.refresh_from_db()
    assert photo_request.status == PhotoRequest.Status.DECLINED
