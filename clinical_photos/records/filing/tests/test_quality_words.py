"""What staff read about the automatic quality checks: words in the inbox and on the filing
screen (never an image), and beside each image for clinicians."""

import pytest
from django.urls import reverse

from clinical_photos.patient_upload.tests.factories import send_photos
from clinical_photos.photo_requests.tests.factories import make_request
from clinical_photos.photos.models import Photo
from clinical_photos.photos.tests.quality_images import blurry_photo, dark_photo, sharp_photo
from clinical_photos.records.filing import services as filing_services

pytestmark = pytest.mark.django_db


def blurry() -> bytes:
    return blurry_photo(seed=0, radius=8)


def sharp() -> bytes:
    return sharp_photo(seed=0)


def answer(by, patient, photos: list[bytes]):
    """A request answered with these photos (close-ups all), through the patient's own steps."""
    labels = ["close_up"] * len(photos)
    return send_photos(make_request(by, patient), labels, photos=photos)


def test_the_inbox_says_how_many_photos_may_be_blurry(clinician_client, clinician, patient):
    answer(clinician, patient, [blurry(), sharp(), blurry(), sharp(), sharp()])

    content = clinician_client.get(reverse("inbox:list")).page.text

    assert "2 of 5 photos may be blurry" in content


def test_a_good_set_gets_no_words(clinician_client, clinician, patient):
    answer(clinician, patient, [sharp(), sharp()])

    page = clinician_client.get(reverse("inbox:list")).page

    assert "may be" not in page.source


def test_a_single_photo_is_named_as_the_photo(clinician_client, clinician, patient):
    answer(clinician, patient, [dark_photo(seed=0)])

    content = clinician_client.get(reverse("inbox:list")).page.text

    assert "The photo may be too dark" in content


def test_the_filing_screen_says_which_photo_in_words(admin_team_client, clinician, patient):
    response = answer(clinician, patient, [sharp(), blurry()])

    page = admin_team_client.get(
        reverse("filing:submission", kwargs={"response_id": response.id})
    ).page

    assert page.text_of("main li") == ["Photo 1: Close-up", "Photo 2: Close-up (may be blurry)"]
    assert page.select("img") == []


def test_a_clinician_sees_the_words_beside_the_image(clinician_client, clinician, patient):
    response = answer(clinician, patient, [blurry(), sharp()])
    filing_services.file_submission(by=clinician, response=response)
    blurred, good = Photo.objects.filter(response=response).order_by("position")

    timeline = clinician_client.get(reverse("record:timeline", args=[patient.id])).page.text
    assert timeline.count("Automatic check: may be blurry") == 1

    photo_page = clinician_client.get(reverse("record:photo", args=[blurred.id])).page.text
    assert "Automatic quality check" in photo_page
    assert "May be blurry" in photo_page
    good_page = clinician_client.get(reverse("record:photo", args=[good.id])).page.text
    assert "No problems found" in good_page
