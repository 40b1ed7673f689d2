"""The admin team files a patient's photos without seeing them.

A clinician's request is answered with 2 photos; the admin, already logged in, sees the inbox
count in the header, opens the inbox, finds the answer by the day it came, opens the
submission, and files it. The filing page is checked
for any image of the photos: no img, canvas, picture, svg image or CSS background image of one,
and no request for a photo's address. axe-core checks every step."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinical_photos.patient_upload.tests.factories import send_photos
from clinical_photos.photo_requests.tests.factories import make_request
from clinical_photos.photos.models import Photo
from clinical_photos.photos.tests.images import jpeg

from .conftest import check_accessibility, login_as

pytestmark = pytest.mark.django_db(transaction=True)

# Every picture-like thing on the page, and every CSS background image (pseudo-elements too).
IMAGES_ON_PAGE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const background = getComputedStyle(el, pseudo).backgroundImage;
      if (background && background !== 'none') {
        found.push({kind: 'background', tag: el.tagName, url: background});
      }
    }
  }
  const pictures =
    'img, canvas, picture, video, object, embed, iframe, svg image, input[type=image]';
  for (const el of document.querySelectorAll(pictures)) {
    found.push({
      kind: 'element',
      tag: el.tagName,
      url: el.currentSrc || el.src || el.getAttribute('href') || el.getAttribute('data') || '',
    });
  }
  return found;
}"""


@pytest.fixture
def two_photos_sent(clinician, patient):
    """A clinician asks for photos of a hand; the patient sends 2, with labels and a note."""
    return send_photos(
        make_request(clinician, patient),
        ("where", "close_up"),
        note="It itches at night.",
        photos=[jpeg(colour=(220, 60, 60)), jpeg(colour=(60, 60, 220))],
    )


def given_i_am_logged_in_as_the_admin(page, admin_user):
    login_as(page, admin_user)
    page.goto("/")
    expect(page.get_by_role("heading", name=admin_user.practice.name, exact=True)).to_be_visible()


def then_the_header_says_there_is_one_submission_to_file(page):
    inbox_link = page.locator("header a[href='/inbox/']")
    expect(inbox_link).to_have_count(1)
    expect(inbox_link).to_contain_text("Inbox (1 to file)")
    check_accessibility(page, "filing-01-home-with-count")


def when_i_open_the_inbox(page):
    # On a small phone the header may fold its links into a menu; follow the link's address.
    page.goto(page.locator("header a[href='/inbox/']").get_attribute("href"))
    expect(page.get_by_role("heading", name="Inbox", exact=True)).to_be_visible()
    expect(page.get_by_text("2 photos, not filed")).to_be_visible()
    check_accessibility(page, "filing-02-inbox")


def when_i_show_what_came_today(page):
    today = timezone.localdate()
    dates = page.get_by_role("group", name="From")
    expect(page.locator("input[type=date]")).to_have_count(0)
    # A year of 2 numbers is explained, next to the boxes and in the summary at the top.
    dates.get_by_label("Day").fill(str(today.day))
    dates.get_by_label("Month").fill(str(today.month))
    dates.get_by_label("Year").fill(str(today.year % 100))
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_title(re.compile("^Error: Inbox"))
    expect(page.get_by_role("link", name="From must have a 4-number year")).to_be_visible()
    check_accessibility(page, "filing-02-inbox-date-error")
    dates.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("2 photos, not filed")).to_be_visible()
    check_accessibility(page, "filing-02-inbox-by-date")


def when_i_open_the_submission(page, patient):
    page.get_by_role("link", name=f"File the photos from {patient.full_name}").click()
    expect(
        page.get_by_role("heading", name=f"File photos from {patient.full_name}")
    ).to_be_visible()
    expect(page.get_by_text("Photo 1: Where it is")).to_be_visible()
    expect(page.get_by_text("Photo 2: Close-up")).to_be_visible()
    expect(page.get_by_text("It itches at night.")).to_be_visible()
    expect(page.get_by_text("943 476 5919")).to_be_visible()
    check_accessibility(page, "filing-03-submission")


def then_no_image_of_a_photo_is_on_the_page(page, requested_urls, photos):
    found = page.evaluate(IMAGES_ON_PAGE)
    # The NHS logo is an inline svg with no <image> in it, so it is not listed; the design
    # system's own small icons may be CSS data: URIs or files under /assets/.
    not_the_service_design = [
        item
        for item in found
        if item["kind"] == "element"
        or not re.fullmatch(r'url\("(data:image/svg\+xml[^"]*|[^"]*/assets/[^"]*)"\)', item["url"])
    ]
    assert not_the_service_design == [], not_the_service_design
    for photo in photos:
        for url in requested_urls:
            assert str(photo.id) not in url and photo.blob_name not in url, url
    images_fetched = [url for url, kind in requested_urls.items() if kind == "image"]
    assert all("/assets/" in url for url in images_fetched), images_fetched


def when_i_file_it(page, patient):
    page.get_by_role("button", name=f"File into {patient.full_name}'s record").click()
    expect(page.get_by_text(f"2 photos filed into {patient.full_name}'s record")).to_be_visible()


def then_it_has_left_the_unfiled_list(page):
    expect(page.get_by_text("Nothing matches these filters.")).to_be_visible()
    expect(page.get_by_text("2 photos, not filed")).to_have_count(0)
    expect(page.locator("header a[href='/inbox/']")).to_have_text(re.compile(r"^\s*Inbox\s*$"))
    check_accessibility(page, "filing-04-filed")


def test_the_admin_files_photos_without_seeing_them(page, admin_user, patient, two_photos_sent):
    photos = list(Photo.objects.filter(response=two_photos_sent))
    requested_urls: dict[str, str] = {}
    page.on("request", lambda request: requested_urls.update({request.url: request.resource_type}))

    given_i_am_logged_in_as_the_admin(page, admin_user)
    then_the_header_says_there_is_one_submission_to_file(page)
    when_i_open_the_inbox(page)
    when_i_show_what_came_today(page)
    when_i_open_the_submission(page, patient)
    then_no_image_of_a_photo_is_on_the_page(page, requested_urls, photos)
    when_i_file_it(page, patient)
    then_it_has_left_the_unfiled_list(page)
    assert {photo.patient_id for photo in Photo.objects.filter(response=two_photos_sent)} == {
        patient.id
    }
