"""The photo checks in a patient's journey on a small phone (360 pixels wide).

With JavaScript on, each photo uploads the moment it is chosen, with its own progress bar, and
comes back with advice when it looks blurry or too dark: the patient sends one anyway and
replaces another. A photo whose upload fails on a weak signal is tried again on its own. With
JavaScript off, the same advice appears on the check page. axe-core on every step.
"""

import re

import pytest
from playwright.sync_api import expect

from clinical_photos.photo_requests.tests.factories import token_of
from clinical_photos.photos.models import Photo
from clinical_photos.photos.tests.quality_images import blurry_photo, dark_photo, sharp_photo

from .conftest import check_accessibility
from .test_patient_journey import enter_date_of_birth

pytestmark = pytest.mark.django_db(transaction=True)

ADD_PHOTO = "**/p/photos/add/"
BLURRY_ADVICE = "Hold the phone steady, tap the screen on the problem to focus, and take it again."


@pytest.fixture
def photos(tmp_path) -> dict[str, str]:
    """Photos as files on the phone: sharp ones, and ones the checks will have advice for."""
    made = {
        "rash.jpg": sharp_photo(seed=1),
        "rash-again.jpg": sharp_photo(seed=2),
        "arm.jpg": sharp_photo(seed=3),
        "shaky.jpg": blurry_photo(seed=4),
        "dim.jpg": dark_photo(seed=5),
    }
    for name, content in made.items():
        (tmp_path / name).write_bytes(content)
    return {name: str(tmp_path / name) for name in made}


def choose(page, number: int, path: str):
    page.locator(f"input[type=file][name=photo_{number}]").set_input_files(path)


def slot(page, number: int):
    return page.locator(f"[data-photo-slot='{number}']")


def wait_until(page, condition, what: str, seconds: float = 10):
    for _ in range(int(seconds * 20)):
        if condition():
            return
        page.wait_for_timeout(50)  # lets Playwright deliver the page's events meanwhile
    raise AssertionError(f"Still waiting for {what}")


def given_i_am_choosing_photos(page, photo_request):
    page.goto(f"/p/{token_of(photo_request)}")
    enter_date_of_birth(page, "7", "3", "1984")
    page.get_by_role("button", name="Continue to send photos").click()
    page.get_by_role("button", name="Choose your photos").click()


def when_i_choose_three_photos_and_see_each_upload(page, photos):
    # Held on their way, so the patient's view of three uploads under way can be seen.
    held = []
    page.route(ADD_PHOTO, lambda route: held.append(route))
    choose(page, 1, photos["rash.jpg"])
    choose(page, 2, photos["shaky.jpg"])
    choose(page, 3, photos["dim.jpg"])
    for number in (1, 2, 3):
        # "Uploading photo 1: 40%", then "Checking photo 1" once the browser has sent it all
        # (which, held here, it may have by the time this looks).
        progress = re.compile(f"(Uploading|Checking) photo {number}")
        expect(slot(page, number).get_by_text(progress)).to_be_visible()
        expect(slot(page, number).locator("progress")).to_be_visible()
        expect(page.get_by_role("img", name=f"Preview of photo {number}")).to_be_visible()
    check_accessibility(page, "advice-01-uploading")
    wait_until(page, lambda: len(held) == 3, "the three uploads")
    for route in held:
        route.continue_()
    page.unroute(ADD_PHOTO)


def then_only_the_blurry_and_the_dark_ones_get_advice(page):
    # Each finishes on its own.
    expect(slot(page, 1).get_by_text("Photo 1 uploaded.")).to_be_visible()
    expect(slot(page, 2).get_by_role("heading", name="This photo looks blurry")).to_be_visible()
    expect(slot(page, 2)).to_contain_text(BLURRY_ADVICE)
    expect(slot(page, 3).get_by_role("heading", name="This photo looks too dark")).to_be_visible()
    expect(slot(page, 3)).to_contain_text("Move somewhere brighter")
    expect(page.locator("progress")).to_have_count(0)
    expect(slot(page, 1)).not_to_contain_text("This photo looks")
    expect(slot(page, 1).get_by_role("button", name="Send it anyway")).to_have_count(0)
    check_accessibility(page, "advice-02-checked")


def when_i_send_the_blurry_one_anyway_and_take_the_dark_one_again(page, photos):
    slot(page, 2).get_by_role("button", name="Send it anyway").click()
    expect(slot(page, 2).get_by_text("You chose to send photo 2 as it is.")).to_be_visible()
    expect(slot(page, 2)).not_to_contain_text(BLURRY_ADVICE)
    with page.expect_file_chooser() as chooser:
        slot(page, 3).get_by_role("button", name="Replace this photo").click()
    chooser.value.set_files(photos["arm.jpg"])
    expect(slot(page, 3).get_by_text("Photo 3 uploaded.")).to_be_visible()
    expect(slot(page, 3)).not_to_contain_text("too dark")
    check_accessibility(page, "advice-03-sent-anyway-and-replaced")


def then_the_check_page_still_says_one_looks_blurry(page):
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(
        page.get_by_role("heading", name="Check your photos before you send them")
    ).to_be_visible()
    expect(page.get_by_text("3 photos")).to_be_visible()
    expect(page.get_by_role("heading", name="This photo looks blurry")).to_be_visible()
    expect(page.get_by_text("This photo looks too dark")).to_have_count(0)
    check_accessibility(page, "advice-04-check")


def when_i_agree_and_send(page, practice, count: int):
    page.get_by_label("I agree to the surgery keeping these photos").check()
    page.get_by_role("button", name=re.compile("^Send photos")).click()
    expect(page.get_by_text(f"We sent {count} photos to {practice.name}")).to_be_visible()


def then_the_surgery_has_the_photos_with_what_the_checks_found(photo_request, problems):
    photo_request.refresh_from_db()
    sent = list(photo_request.response.photos.order_by("position"))
    assert [photo.problems for photo in sent] == problems


@pytest.mark.screens("phone")
def test_each_photo_is_checked_as_soon_as_it_is_chosen(page, photo_request, photos, practice):
    given_i_am_choosing_photos(page, photo_request)
    when_i_choose_three_photos_and_see_each_upload(page, photos)
    then_only_the_blurry_and_the_dark_ones_get_advice(page)
    when_i_send_the_blurry_one_anyway_and_take_the_dark_one_again(page, photos)
    then_the_check_page_still_says_one_looks_blurry(page)
    when_i_agree_and_send(page, practice, 3)
    then_the_surgery_has_the_photos_with_what_the_checks_found(photo_request, [[], ["blurry"], []])
    assert Photo.objects.count() == 3  # the dark photo went when its replacement came


def given_a_weak_signal_that_loses_the_second_upload(page) -> list[str]:
    """The names of the files the page sends, in the order it sends them."""
    sent = []

    def weak_signal(route):
        sent.append(_file_name(route.request))
        if len(sent) == 2:
            route.abort("internetdisconnected")  # the second upload is lost on the way
        else:
            route.continue_()

    page.route(ADD_PHOTO, weak_signal)
    return sent


def when_i_choose_two_photos_and_the_second_does_not_upload(page, photos):
    choose(page, 1, photos["rash.jpg"])
    expect(slot(page, 1).get_by_text("Photo 1 uploaded.")).to_be_visible()
    choose(page, 2, photos["arm.jpg"])
    expect(slot(page, 2)).to_contain_text("Photo 2 did not upload.")
    check_accessibility(page, "advice-05-did-not-upload")


def then_continuing_says_photo_2_is_missing_rather_than_leaving_it_behind(page):
    page.get_by_role("button", name="Continue", exact=True).click()
    problem = page.locator(".nhsuk-error-message", has_text="Photo 2 has not been added")
    expect(problem).to_be_visible()
    expect(page).to_have_url(re.compile(r"/p/photos/$"))


def when_i_try_photo_2_again(page):
    slot(page, 2).get_by_role("button", name="Try again").click()
    expect(slot(page, 2).get_by_text("Photo 2 uploaded.")).to_be_visible()
    expect(slot(page, 1).get_by_text("Photo 1 uploaded.")).to_be_visible()
    check_accessibility(page, "advice-06-tried-again")


def then_both_photos_wait_to_be_sent(page):
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_text("2 photos")).to_be_visible()
    assert Photo.objects.filter(response__isnull=True).count() == 2


@pytest.mark.screens("phone")
def test_a_photo_that_did_not_upload_is_tried_again_on_its_own(page, photo_request, photos):
    given_i_am_choosing_photos(page, photo_request)
    sent = given_a_weak_signal_that_loses_the_second_upload(page)
    when_i_choose_two_photos_and_the_second_does_not_upload(page, photos)
    then_continuing_says_photo_2_is_missing_rather_than_leaving_it_behind(page)
    when_i_try_photo_2_again(page)
    assert sent == ["rash.jpg", "arm.jpg", "arm.jpg"]  # photo 1 went once; only 2 again
    then_both_photos_wait_to_be_sent(page)


def when_i_choose_a_sharp_and_a_blurry_photo_and_continue(page, photos):
    choose(page, 1, photos["rash.jpg"])
    choose(page, 2, photos["shaky.jpg"])
    page.get_by_role("button", name="Continue", exact=True).click()


def then_the_check_page_gives_the_advice_beside_the_blurry_one(page):
    expect(
        page.get_by_role("heading", name="Check your photos before you send them")
    ).to_be_visible()
    items = page.locator(".app-chosen-photo")
    expect(items).to_have_count(2)
    expect(items.nth(0)).not_to_contain_text("This photo looks")
    expect(items.nth(1).get_by_role("heading", name="This photo looks blurry")).to_be_visible()
    expect(items.nth(1)).to_contain_text(BLURRY_ADVICE)
    expect(items.nth(1).get_by_role("button", name="Remove photo 2")).to_be_visible()
    check_accessibility(page, "advice-07-check")


def and_the_choose_photos_page_gives_it_too(page):
    page.get_by_role("link", name="Back to your photos").click()
    expect(page.get_by_role("heading", name="This photo looks blurry")).to_be_visible()
    check_accessibility(page, "advice-08-choose-again")
    page.get_by_role("button", name="Continue", exact=True).click()


@pytest.mark.screens("phone-without-javascript")
def test_without_javascript_the_check_page_gives_the_advice(page, photo_request, photos, practice):
    given_i_am_choosing_photos(page, photo_request)
    when_i_choose_a_sharp_and_a_blurry_photo_and_continue(page, photos)
    then_the_check_page_gives_the_advice_beside_the_blurry_one(page)
    and_the_choose_photos_page_gives_it_too(page)
    when_i_agree_and_send(page, practice, 2)
    then_the_surgery_has_the_photos_with_what_the_checks_found(photo_request, [[], ["blurry"]])


def _file_name(request) -> str:
    found = re.search(rb'name="photo"; filename="([^"]+)"', request.post_data_buffer or b"")
    return found.group(1).decode() if found else ""
