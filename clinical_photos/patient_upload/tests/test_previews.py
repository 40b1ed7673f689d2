"""The photos a patient has chosen, shown back to them before they send them: a small preview
of each, served only to the browser that chose it, only while it is unsent."""

import pytest
from django.urls import reverse

from clinical_photos.core.tests.page_checks import PageClient
from clinical_photos.patient_upload import services
from clinical_photos.photo_requests.tests.factories import make_request
from clinical_photos.photos import storage
from clinical_photos.photos.models import Photo
from clinical_photos.photos.tests.images import jpeg, png
from clinical_photos.photos.tests.quality_images import dark_photo

from .conftest import client_for
from .factories import send_photos

pytestmark = pytest.mark.django_db

CHECK = reverse("patient_upload:check")
PHOTOS = reverse("patient_upload:choose_photos")


def preview_url(photo) -> str:
    return reverse("patient_upload:photo_preview", args=[photo.id])


def add(photo_request, *contents) -> list[Photo]:
    photos, problems = services.add_photos(
        photo_request.current_link,
        [(content, f"photo{n}.jpg", "close_up") for n, content in enumerate(contents)],
    )
    assert not problems
    return photos


@pytest.mark.parametrize("page", [CHECK, PHOTOS])
def test_each_chosen_photo_is_shown_with_its_preview(patient_client, photo_request, page):
    photos = add(photo_request, jpeg(), png())
    shown = patient_client.get(page).page
    assert [image.src for image in shown.images(".app-chosen-photo img")] == [
        preview_url(photo) for photo in photos
    ]


def test_a_preview_is_the_small_copy_made_when_the_photo_arrived(patient_client, photo_request):
    [photo] = add(photo_request, jpeg(size=(1600, 1200)))
    response = patient_client.get(preview_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == storage.read_preview(photo)
    assert len(response.content) < len(storage.read_photo(photo))
    # Kept by no cache, shared or the browser's own; run as nothing but an image.
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_another_links_photo_is_not_found(patient_client, clinician, patient):
    other = make_request(clinician, patient)
    [theirs] = add(other, jpeg())
    assert patient_client.get(preview_url(theirs)).status_code == 404
    # Not even for a browser that has opened both links: each session names one link.
    assert client_for(other).get(preview_url(theirs)).status_code == 200


def test_a_sent_or_removed_photo_has_no_preview_here(
    patient_client, photo_request, clinician, patient
):
    [removed] = add(photo_request, jpeg())
    services.remove_photo(photo_request.current_link, removed.id)
    assert patient_client.get(preview_url(removed)).status_code == 404
    # A photo sent through an earlier link of the same patient's.
    earlier = make_request(clinician, patient)
    [sent] = send_photos(earlier, labels=("where",)).photos.all()
    assert patient_client.get(preview_url(sent)).status_code == 404
    # Once this link's photos are sent, its pages lead to the confirmation.
    [mine] = add(photo_request, jpeg())
    services.send_photos(photo_request.current_link)
    assert patient_client.get(preview_url(mine))["Location"] == reverse("patient_upload:sent")


def test_no_preview_without_the_patients_session(client, photo_request):
    [photo] = add(photo_request, jpeg())
    response = PageClient().get(preview_url(photo))
    assert response.status_code == 403
    assert b"\xff\xd8" not in response.content


def test_each_photo_is_named_once_to_a_screen_reader(patient_client, photo_request):
    add(photo_request, jpeg(), dark_photo(seed=5))
    page = patient_client.get(CHECK).page
    [first, second] = page.select(".app-chosen-photo")
    for number, item in enumerate((first, second), start=1):
        # Hidden words included: what a screen reader reads out.
        words = " ".join(item.get_text(" ").split())
        assert words.count(f"Photo {number}") == 1, words
    assert "This photo looks too dark" in " ".join(second.get_text(" ").split())
    assert "::" not in page.source
