"""A patient on a small phone opens the link from their text, gives a wrong then the right date
of birth, reads what they agree to, chooses photos and sends them; another patient says they
would rather not. With JavaScript on and off, axe-core on every step."""

import re

import pytest
from playwright.sync_api import expect

from clinical_photos.photo_requests.models import PhotoRequest
from clinical_photos.photo_requests.tests.factories import token_of
from clinical_photos.photos.tests.images import jpeg, png

from .conftest import check_accessibility

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.screens("phone", "phone-without-javascript"),
]


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
    page.get_by_label("I agree to the surgery keeping these photos").check()
    page.get_by_role("button", name=re.compile("^Send photos")).click()
    expect(page.get_by_text(f"We sent 5 photos to {practice.name}")).to_be_visible()
    check_accessibility(page, "patient-08-sent")


def test_a_patient_sends_five_photos_from_a_phone(page, photo_request, photo_files, practice):
    given_i_open_the_link_in_my_text(page, photo_request)
    when_i_give_a_wrong_then_the_right_date_of_birth(page)
    when_i_choose_five_photos(page, photo_files)
    then_i_check_and_send_them(page, practice)
    photo_request.refresh_from_db()
    assert photo_request.status == PhotoRequest.Status.ANSWERED
    assert photo_request.response.photos.count() == 5


def when_i_say_i_would_rather_not_send_photos(page):
    enter_date_of_birth(page, "7", "3", "1984")
    page.get_by_role("link", name="I don't want to send photos").click()
    check_accessibility(page, "patient-09-decline")
    page.get_by_label("Tell the surgery why (optional)").fill("I would rather come in.")
    page.get_by_role("button", name="Tell the surgery").click()


def then_the_surgery_is_told(page, practice, photo_request):
    expect(page.get_by_text(f"We told {practice.name}")).to_be_visible()
    check_accessibility(page, "patient-10-declined")
    photo_request.refresh_from_db()
    assert photo_request.status == PhotoRequest.Status.DECLINED


def test_a_patient_says_they_would_rather_not_send_photos(page, photo_request, practice):
    given_i_open_the_link_in_my_text(page, photo_request)
    when_i_say_i_would_rather_not_send_photos(page)
    then_the_surgery_is_told(page, practice, photo_request)
