"""What staff read about the automatic quality checks: words in the inbox and on the filing
screen (never an image), and beside each image for clinicians."""

import pytest
from django.urls import reverse

from clinical_photos.patient_upload import services as upload_services
from clinical_photos.photos.models import Photo
from clinical_photos.photos.tests import quality_images
from clinical_photos.records.filing import services as filing_services

from .test_filing_support import make_patient, make_request, page_text

pytestmark = pytest.mark.django_db

SHARP = quality_images.detailed()


def blurry() -> bytes:
    return quality_images.jpeg(quality_images.out_of_focus(SHARP, 8))


def sharp() -> bytes:
    return quality_images.jpeg(SHARP)


@pytest.fixture
def patient(practice):
    return make_patient(practice)


def answer(by, patient, photos: list[bytes]):
    """A request answered with these photos, through the patient's own steps."""
    photo_request = make_request(by, patient)
    link = photo_request.current_link
    stored, refused = upload_services.add_photos(
        link, [(data, f"photo{i}.jpg", "close_up") for i, data in enumerate(photos)]
    )
    assert not refused
    return upload_services.send_photos(link), stored


def test_the_inbox_says_how_many_photos_may_be_blurry(clinician_client, clinician, patient):
    answer(clinician, patient, [blurry(), sharp(), blurry(), sharp(), sharp()])

    content = page_text(clinician_client.get(reverse("inbox:list")))

    assert "2 of 5 photos may be blurry" in content


def test_a_good_set_gets_no_words(clinician_client, clinician, patient):
    answer(clinician, patient, [sharp(), sharp()])

    content = page_text(clinician_client.get(reverse("inbox:list")))

    assert "may be" not in content


def test_a_single_photo_is_named_as_the_photo(clinician_client, clinician, patient):
    dark = quality_images.jpeg(quality_images.exposed(SHARP, -5, noise=0.002))
    answer(clinician, patient, [dark])

    content = page_text(clinician_client.get(reverse("inbox:list")))

    assert "The photo may be too dark" in content


def test_the_filing_screen_says_which_photo_in_words(admin_team_client, clinician, patient):
    response, _ = answer(clinician, patient, [sharp(), blurry()])

    content = page_text(
        admin_team_client.get(reverse("filing:submission", kwargs={"response_id": response.id}))
    )

    assert "Photo 1: Close-up</li>" in content
    assert "Photo 2: Close-up (may be blurry)</li>" in content
    assert "<img" not in content


def test_a_clinician_sees_the_words_beside_the_image(clinician_client, clinician, patient):
    response, _ = answer(clinician, patient, [blurry(), sharp()])
    filing_services.file_submission(by=clinician, response=response)
    blurred, good = Photo.objects.filter(response=response).order_by("position")

    timeline = page_text(clinician_client.get(reverse("record:timeline", args=[patient.id])))
    assert timeline.count("Automatic check: may be blurry") == 1

    photo_page = page_text(clinician_client.get(reverse("record:photo", args=[blurred.id])))
    assert "Automatic quality check" in photo_page
    assert "May be blurry" in photo_page
    good_page = page_text(clinician_client.get(reverse("record:photo", args=[good.id])))
    assert "No problems found" in good_page
