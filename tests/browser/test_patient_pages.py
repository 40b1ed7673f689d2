"""What a patient's pages do beyond the journey's steps: the type they are set in, the
browser's Back button after the consent page said no, and the photo chooser's words on a touch
screen."""

import re

import pytest
from playwright.sync_api import expect

from clinical_photos.photo_requests.tests.factories import token_of

from .conftest import check_accessibility
from .test_patient_journey import enter_date_of_birth

pytestmark = pytest.mark.django_db(transaction=True)


def font_of(page, selector: str) -> list[str]:
    families = page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).fontFamily")
    return [family.strip().strip("'\"").lower() for family in families.split(",")]


@pytest.mark.screens("phone")
def test_the_pages_are_set_in_the_nhs_font_or_arial_never_a_serif(page, photo_request):
    # A page every patient sees first, with a form: its text and its controls.
    page.goto(f"/p/{token_of(photo_request)}")
    for element in ("body", "h1", "input", "button"):
        families = font_of(page, element)
        # Frutiger where the phone has it (the NHS font, never fetched from another host),
        # then Arial, then whatever sans-serif the phone has: never the browser's serif.
        assert families[0].startswith("frutiger"), (element, families)
        assert families[-2:] == ["arial", "sans-serif"], (element, families)
    check_accessibility(page, "patient-font")


def given_i_have_chosen_a_photo_and_reached_the_check_page(page, photo_request):
    from clinical_photos.patient_upload import services
    from clinical_photos.photos.tests.images import jpeg

    services.add_photos(photo_request.current_link, [(jpeg(), "rash.jpg", "where")])
    page.goto(f"/p/{token_of(photo_request)}")
    enter_date_of_birth(page, "7", "3", "1984")
    page.goto("/p/check/")


def when_i_send_without_agreeing_then_look_at_my_photos_and_go_back(page):
    page.get_by_role("button", name=re.compile("^Send photos")).click()
    expect(page).to_have_title(re.compile("^Error: "))
    check_accessibility(page, "consent-01-not-agreed")
    page.get_by_role("link", name="Back to your photos").click()
    expect(page.get_by_role("heading", name="Choose your photos")).to_be_visible()
    # The browser's own Back button: the page it returns to must not be the answer to a post,
    # which a browser can show again only by sending the form again ("Confirm Form
    # Resubmission"), or with an error page of its own.
    page.go_back()


def then_the_check_page_is_there_and_sends_my_photos(page, practice):
    expect(
        page.get_by_role("heading", name="Check your photos before you send them")
    ).to_be_visible()
    check_accessibility(page, "consent-02-back-again")
    page.get_by_label("I agree to").check()
    page.get_by_role("button", name=re.compile("^Send photos")).click()
    expect(page.get_by_text(f"We sent 1 photo to {practice.name}")).to_be_visible()
    # And Back from the confirmation does not offer to send them again either.
    page.go_back()
    expect(page.get_by_text(f"We sent 1 photo to {practice.name}")).to_be_visible()


@pytest.mark.screens("phone", "phone-without-javascript")
def test_going_back_after_the_consent_page_said_no_never_sends_the_form_again(
    page, photo_request, practice
):
    given_i_have_chosen_a_photo_and_reached_the_check_page(page, photo_request)
    when_i_send_without_agreeing_then_look_at_my_photos_and_go_back(page)
    then_the_check_page_is_there_and_sends_my_photos(page, practice)


@pytest.mark.screens("phone", "desktop")
def test_the_photo_chooser_offers_to_drop_a_file_only_where_one_can_be_dropped(page, photo_request):
    page.goto(f"/p/{token_of(photo_request)}")
    enter_date_of_birth(page, "7", "3", "1984")
    page.goto("/p/photos/")
    chooser = page.locator(".nhsuk-file-upload__drop-button").first
    expect(chooser).to_contain_text("Choose file")
    if page.screen_name == "phone":
        # A touch screen, with no mouse to drag a file with.
        expect(page.get_by_text("or drop file")).to_have_count(0)
        expect(chooser).not_to_contain_text("drop")
    else:
        expect(chooser).to_contain_text("or drop file")
    check_accessibility(page, "choose-words")


@pytest.mark.screens("phone-without-javascript")
def test_without_javascript_a_refused_file_keeps_the_good_photos_and_says_why_beside_its_slot(
    page, photo_request, tmp_path
):
    from clinical_photos.photos.tests.images import jpeg

    (tmp_path / "rash.jpg").write_bytes(jpeg())
    (tmp_path / "letter.pdf").write_bytes(b"%PDF-1.4 a letter, not a photo")
    page.goto(f"/p/{token_of(photo_request)}")
    enter_date_of_birth(page, "7", "3", "1984")
    page.goto("/p/photos/")
    page.locator("input[type=file][name=photo_1]").set_input_files(str(tmp_path / "rash.jpg"))
    page.locator("input[type=file][name=photo_2]").set_input_files(str(tmp_path / "letter.pdf"))
    page.get_by_label("Anything you want to tell the surgery (optional)").fill("x" * 601)
    page.get_by_role("button", name="Continue", exact=True).click()

    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("heading", name="Photos you have chosen")).to_be_visible()
    slot = page.locator(".app-photo-slot").first
    expect(slot.locator("legend").first).to_have_text("Photo 2")
    expect(slot.locator(".nhsuk-error-message")).to_contain_text("letter.pdf was not added.")
    summary = page.locator(".nhsuk-error-summary")
    summary.get_by_role("link", name=re.compile("^letter.pdf was not added")).click()
    expect(page.locator("input[type=file][name=photo_1]")).to_be_focused()
    check_accessibility(page, "choose-refused-file")
