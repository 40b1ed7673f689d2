"""Removing an image that must never be kept: gone from every view, unreadable for good, a
tombstone left, and the Caldicott Guardian told."""

import pytest
from django.core import mail
from django.urls import reverse

from clinical_photos.accounts.models import Role
from clinical_photos.accounts.tests.factories import UserFactory
from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.photos import crypto, storage
from clinical_photos.photos.models import Photo
from clinical_photos.records.timeline import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def guardian(practice):
    return UserFactory(
        practice=practice,
        role=Role.PRACTICE_MANAGER,
        email="guardian@riverside.test",
        is_caldicott_guardian=True,
    )


@pytest.fixture
def other_guardian(other_practice):
    return UserFactory(
        practice=other_practice,
        role=Role.CLINICIAN,
        email="guardian@hilltop.test",
        is_caldicott_guardian=True,
    )


def remove_url(photo):
    return reverse("record:remove", args=[photo.id])


def files_under(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


def test_the_confirmation_page_says_it_cannot_be_undone(clinician_client, photo):
    page = clinician_client.get(remove_url(photo)).page.text
    assert "This cannot be undone" in page
    assert "It is an intimate image" in page and "It is a photo of the wrong person" in page


def test_removing_a_photo_destroys_it_for_good_and_leaves_a_tombstone(
    clinician_client,
    clinician,
    patient,
    photo,
    guardian,
    other_guardian,
    photo_storage,
    django_capture_on_commit_callbacks,
):
    plaintext = storage.read_photo(photo)
    # A piece from the middle of the photo's bytes: if any file held them unencrypted, it
    # would hold this.
    marker = plaintext[len(plaintext) // 2 : len(plaintext) // 2 + 48]
    blob = storage.BlobStore().path(photo.blob_name)
    assert blob.exists()
    clinician_client.get(reverse("record:photo_preview", args=[photo.id]))

    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(
            remove_url(photo), {"reason": "intimate", "detail": "Sent by mistake"}
        )
    assert response.status_code == 302

    photo.refresh_from_db()
    assert photo.removed_by == clinician and photo.removed_at is not None
    assert photo.removal_reason == "It is an intimate image: Sent by mistake"
    assert photo.wrapped_key is None
    # The bytes cannot be recovered: no key, no blob, and no plain copy anywhere.
    with pytest.raises(crypto.Unreadable):
        storage.read_photo(photo)
    assert not blob.exists()
    assert all(marker not in path.read_bytes() for path in files_under(photo_storage))

    # Gone from every view at once.
    for name in ("record:photo_image", "record:photo_preview"):
        assert clinician_client.get(reverse(name, args=[photo.id])).status_code == 404
    timeline = clinician_client.get(reverse("record:timeline", args=[patient.id])).page
    [removed] = timeline.text_of(".app-timeline__photo--removed")
    assert "Photo removed from the record" in removed
    assert "Reason: It is an intimate image: Sent by mistake" in removed
    assert reverse("record:photo_preview", args=[photo.id]) not in timeline.source
    tombstone = clinician_client.get(reverse("record:photo", args=[photo.id])).page
    assert tombstone.select("img") == []
    assert clinician.full_name in tombstone.text

    removed = AuditEntry.objects.get(action=Action.PHOTO_REMOVED_FROM_RECORD)
    assert removed.user == clinician and removed.object_id == str(photo.id)
    assert removed.detail == {"reason": "intimate", "patient": str(patient.id)}
    told = AuditEntry.objects.get(action=Action.CALDICOTT_GUARDIAN_TOLD)
    assert told.detail == {"guardians": [str(guardian.id)]}

    # Only this practice's guardian, with a link and nothing that identifies the patient.
    # (Other emails, such as the one telling the requester that photos arrived, are not ours.)
    [email] = [m for m in mail.outbox if m.subject == "A photo was removed from a patient's record"]
    assert email.to == [guardian.email]
    assert f"https://photos.test/record/photos/{photo.id}/" in email.body
    for identifying in (patient.nhs_number, patient.given_name, patient.family_name, "1984"):
        assert identifying not in email.body and identifying not in email.subject
    assert "Sent by mistake" not in email.body


def test_the_blob_stays_until_the_removal_commits(
    clinician, photo, django_capture_on_commit_callbacks
):
    blob = storage.BlobStore().path(photo.blob_name)
    with django_capture_on_commit_callbacks() as callbacks:
        services.remove_from_record(by=clinician, photo=photo, reason="wrong_patient")
        assert blob.exists()
    assert len(callbacks) == 1  # the blob's deletion (no guardian to tell)
    callbacks[0]()
    assert not blob.exists()
    assert not [m for m in mail.outbox if "removed" in m.subject]
    assert not AuditEntry.objects.filter(action=Action.CALDICOTT_GUARDIAN_TOLD).exists()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Choose why the photo must be removed"),
        ({"reason": "because"}, "Choose why the photo must be removed"),
        ({"reason": "other", "detail": "  "}, "Say why the photo must be removed"),
    ],
)
def test_a_removal_without_a_reason_is_refused_and_nothing_happens(
    clinician_client, photo, form, message
):
    response = clinician_client.post(remove_url(photo), form)
    assert response.status_code == 200
    assert response.page.h1
    assert message in response.page.text
    photo.refresh_from_db()
    assert photo.removed_at is None and photo.wrapped_key is not None
    assert storage.read_photo(photo)
    assert not AuditEntry.objects.filter(action=Action.PHOTO_REMOVED_FROM_RECORD).exists()


def test_removing_twice_is_404_the_second_time(clinician_client, photo):
    assert clinician_client.post(remove_url(photo), {"reason": "intimate"}).status_code == 302
    assert clinician_client.post(remove_url(photo), {"reason": "intimate"}).status_code == 404
    assert AuditEntry.objects.filter(action=Action.PHOTO_REMOVED_FROM_RECORD).count() == 1


@pytest.mark.parametrize("who", ["admin_team_client", "manager_client"])
def test_admins_and_managers_cannot_remove(request, who, photo):
    client = request.getfixturevalue(who)
    assert client.get(remove_url(photo)).status_code == 403
    assert client.post(remove_url(photo), {"reason": "intimate"}).status_code == 403
    photo.refresh_from_db()
    assert photo.removed_at is None


def test_another_practice_cannot_remove(other_clinician_client, photo):
    assert other_clinician_client.post(remove_url(photo), {"reason": "intimate"}).status_code == 404
    assert Photo.objects.get(pk=photo.pk).removed_at is None


def test_a_failure_half_way_leaves_the_photo_whole(clinician, photo, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.remove_from_record(by=clinician, photo=photo, reason="intimate")
    photo.refresh_from_db()
    assert photo.removed_at is None and photo.wrapped_key is not None
    assert storage.read_photo(photo)


def test_a_photo_loaded_before_its_removal_cannot_be_read_after_it(clinician, photo):
    stale = Photo.objects.get(pk=photo.pk)  # a page or an export that loaded it a moment ago
    Photo.objects.filter(pk=photo.pk).update(wrapped_key=None)  # the removal commits
    with pytest.raises(crypto.KeyDestroyed):
        storage.read_photo(stale)
