"""Who may have a photo's bytes: the practice's clinicians, each view audited; no one else."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageOps

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.photos import storage
from clinical_photos.photos.models import Photo

pytestmark = pytest.mark.django_db

IMAGE_CSP = "default-src 'none'; sandbox"


def entries(action, photo):
    return AuditEntry.objects.filter(action=action, object_id=str(photo.id))


def image_url(photo, name="record:photo_image"):
    return reverse(name, args=[photo.id])


def assert_image_headers(response, content_type):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == IMAGE_CSP


def test_a_clinician_gets_the_photo_and_one_audit_entry(clinician_client, clinician, photo):
    response = clinician_client.get(image_url(photo))
    assert_image_headers(response, photo.content_type)
    assert response.content == storage.read_photo(photo)
    [entry] = entries(Action.PHOTO_VIEWED, photo)
    assert entry.user == clinician
    assert entry.at is not None
    assert entry.detail == {"patient": str(photo.patient_id), "preview": False}


def test_each_opening_is_recorded(clinician_client, photo):
    clinician_client.get(image_url(photo))
    clinician_client.get(image_url(photo))
    assert entries(Action.PHOTO_VIEWED, photo).count() == 2


def test_the_preview_is_a_small_jpeg_made_in_memory(clinician_client, photo, photo_storage):
    files_before = sorted(p for p in photo_storage.rglob("*") if p.is_file())
    response = clinician_client.get(image_url(photo, "record:photo_preview"))
    assert_image_headers(response, "image/jpeg")
    with Image.open(io.BytesIO(response.content)) as image:
        assert max(image.size) <= 640
    assert entries(Action.PHOTO_VIEWED, photo).get().detail["preview"] is True
    # Nothing new was written next to the encrypted blobs.
    assert sorted(p for p in photo_storage.rglob("*") if p.is_file()) == files_before


@pytest.mark.parametrize("who", ["admin_team_client", "manager_client"])
@pytest.mark.parametrize("name", ["record:photo_image", "record:photo_preview"])
def test_admins_and_managers_are_refused_and_it_is_recorded(request, who, name, photo):
    client = request.getfixturevalue(who)
    response = client.get(image_url(photo, name))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"].split(", ")
    assert storage.read_photo(photo) not in response.content
    assert "Only clinicians can see photos" in response.page.text
    assert entries(Action.PHOTO_VIEW_REFUSED, photo).count() == 1
    assert not entries(Action.PHOTO_VIEWED, photo).exists()


def test_another_practice_gets_404_and_nothing_is_recorded(other_clinician_client, photo):
    for name in ("record:photo_image", "record:photo_preview"):
        assert other_clinician_client.get(image_url(photo, name)).status_code == 404
    assert (
        not AuditEntry.objects.filter(object_id=str(photo.id))
        .exclude(action__in=[Action.PHOTO_ADDED])
        .exists()
    )


def test_anonymous_is_sent_to_log_in(photo):
    response = Client().get(image_url(photo))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unfiled_photo_is_404(clinician_client, photo):
    Photo.objects.filter(pk=photo.pk).update(patient=None)
    assert clinician_client.get(image_url(photo)).status_code == 404


def test_a_removed_photo_is_404(clinician_client, clinician, photo):
    from clinical_photos.records.timeline import services as timeline_services

    timeline_services.remove_from_record(
        by=clinician, photo=photo, reason="other", detail="A photo of the wrong rash"
    )
    assert clinician_client.get(image_url(photo)).status_code == 404


def test_a_forged_id_is_404(clinician_client):
    url = reverse("record:photo_image", args=["00000000-0000-4000-8000-000000000000"])
    assert clinician_client.get(url).status_code == 404


def test_a_photo_that_fails_its_check_is_never_shown(clinician_client, photo, caplog):
    path = storage.BlobStore().path(photo.blob_name)
    changed = bytearray(path.read_bytes())
    changed[-5] ^= 0xFF
    path.write_bytes(bytes(changed))
    response = clinician_client.get(image_url(photo))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "could not be checked and is not shown" in response.page.text
    assert "service team has been alerted" in response.page.text
    assert not entries(Action.PHOTO_VIEWED, photo).exists()
    assert any(getattr(r, "alert", "") == "photo_integrity" for r in caplog.records)


def test_only_get_is_allowed(clinician_client, photo):
    assert clinician_client.post(image_url(photo)).status_code == 405


def test_a_photo_can_be_fetched_turned_for_viewing(clinician_client, clinician, photo):
    stored_before = storage.read_photo(photo)

    response = clinician_client.get(image_url(photo), {"rotate": "90"})

    assert_image_headers(response, photo.content_type)
    with Image.open(io.BytesIO(stored_before)) as original:
        width, height = original.size
    with Image.open(io.BytesIO(response.content)) as turned:
        assert ImageOps.exif_transpose(turned).size == (height, width)
    # Only the copy sent was turned: the record keeps the photo as it was.
    assert storage.read_photo(photo) == stored_before
    assert entries(Action.PHOTO_VIEWED, photo).get().user == clinician


def test_a_turn_that_is_not_a_quarter_turn_gets_the_photo_as_it_is(clinician_client, photo):
    response = clinician_client.get(image_url(photo), {"rotate": "45"})
    assert response.content == storage.read_photo(photo)
