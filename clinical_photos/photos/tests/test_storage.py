import hashlib
import logging
import os
from dataclasses import dataclass, field

import pytest

from clinical_photos.photo_requests.tests.factories import PatientLinkFactory
from clinical_photos.photos import crypto
from clinical_photos.photos.models import Label, Photo
from clinical_photos.photos.storage import (
    PARTIAL_PREFIX,
    BlobStore,
    PhotoIntegrityError,
    destroy_photo_key,
    discard_unsent_photo,
    photo_aad,
    read_photo,
    read_preview,
    store_photo,
)

MARKER = b"PLAINTEXT-MARKER-7d1e"
HAND = "85562004"  # SNOMED CT: structure of hand (the list in photo_requests/body_sites.py)


@dataclass(frozen=True)
class StandInProcessedPhoto:
    """The fields of the pipeline's ProcessedPhoto that storage reads."""

    data: bytes
    sha256: str
    content_type: str = "image/jpeg"
    format: str = "JPEG"
    original_format: str = "HEIC"
    width: int = 640
    height: int = 480
    problems: tuple[str, ...] = ("too_dark",)
    scores: dict = field(default_factory=lambda: {"sharpness": 0.82, "brightness": 0.31})
    preview: bytes = b"PREVIEW-" + MARKER


def processed_photo(data: bytes = b"\xff\xd8\xff" + MARKER * 40) -> StandInProcessedPhoto:
    return StandInProcessedPhoto(data=data, sha256=hashlib.sha256(data).hexdigest())


def make_link(clinician):
    """A patient's link to a new request, made directly so no text needs sending."""
    return PatientLinkFactory(
        photo_request__patient__practice=clinician.practice, photo_request__requested_by=clinician
    )


def store(link, data: bytes | None = None, *, position=0) -> Photo:
    processed = processed_photo() if data is None else processed_photo(data)
    return store_photo(
        processed,
        practice=link.photo_request.practice,
        link=link,
        label=Label.CLOSE_UP,
        position=position,
        original_size=len(processed.data) * 3,
    )


@pytest.fixture
def link(clinician):
    return make_link(clinician)


class TestBlobStore:
    def test_write_read_delete(self, photo_storage):
        blobs = BlobStore()
        name = blobs.new_name()

        blobs.write(name, b"sealed bytes")

        assert blobs.read(name) == b"sealed bytes"
        assert blobs.path(name) == photo_storage / name[:2] / name[2:4] / name
        assert [found for found, _ in blobs.blobs()] == [name]
        assert blobs.delete(name) is True
        assert blobs.delete(name) is False
        assert not blobs.exists(name)

    def test_reads_the_folder_from_settings_each_time(self, settings, tmp_path):
        blobs = BlobStore()
        settings.PHOTO_STORAGE_DIR = tmp_path / "elsewhere"

        assert blobs.root == tmp_path / "elsewhere"

    def test_files_and_folders_are_for_the_service_alone(self):
        blobs = BlobStore()
        name = blobs.new_name()
        blobs.write(name, b"sealed bytes")

        assert blobs.path(name).stat().st_mode & 0o777 == 0o600
        assert blobs.path(name).parent.stat().st_mode & 0o777 == 0o700

    @pytest.mark.parametrize(
        "name",
        ["../../etc/passwd", "A" * 32, "0" * 31, "0" * 33, "photo.jpg", "/" + "0" * 31, ""],
    )
    def test_refuses_any_name_it_did_not_make(self, name):
        with pytest.raises(ValueError, match="32 lowercase hex"):
            BlobStore().path(name)

    @pytest.mark.parametrize("failing", ["fsync", "replace"])
    def test_a_failed_write_leaves_no_file_behind(self, monkeypatch, photo_storage, failing):
        def fail(*args):
            raise OSError("disk full")

        monkeypatch.setattr(os, failing, fail)
        blobs = BlobStore()
        name = blobs.new_name()

        with pytest.raises(OSError, match="disk full"):
            blobs.write(name, b"sealed bytes")

        monkeypatch.undo()
        assert [path for path in photo_storage.rglob("*") if path.is_file()] == []
        assert not blobs.exists(name)

    def test_lists_partial_files_apart_from_blobs(self):
        blobs = BlobStore()
        name = blobs.new_name()
        blobs.write(name, b"sealed bytes")
        partial = blobs.path(name).parent / f"{PARTIAL_PREFIX}abc123"
        partial.write_bytes(b"half")

        assert [found for found, _ in blobs.blobs()] == [name]
        assert [found for found, _ in blobs.partial_files()] == [partial]

    def test_an_empty_store_lists_nothing(self):
        assert list(BlobStore().blobs()) == []


class TestStorePhoto:
    def test_stores_the_row_and_an_encrypted_blob(self, link, practice):
        processed = processed_photo()

        photo = store(link)

        photo.refresh_from_db()
        assert photo.practice == practice
        assert photo.link == link
        assert photo.response is None
        assert (photo.label, photo.position) == (Label.CLOSE_UP, 0)
        assert (photo.content_type, photo.original_format) == ("image/jpeg", "HEIC")
        assert (photo.width, photo.height) == (640, 480)
        assert photo.size == len(processed.data)
        assert photo.original_size == len(processed.data) * 3
        assert photo.sha256 == processed.sha256
        assert photo.problems == ["too_dark"]
        assert photo.scores == {"sharpness": 0.82, "brightness": 0.31}
        assert photo.key_id == "test-1"
        assert len(bytes(photo.wrapped_key)) == crypto.WRAPPED_KEY_BYTES
        assert read_photo(photo) == processed.data

    def test_the_stored_file_holds_no_plaintext(self, link):
        photo = store(link)

        stored = BlobStore().path(photo.blob_name).read_bytes()
        assert MARKER not in stored
        assert b"\xff\xd8\xff" not in stored[:16]
        assert photo.blob_name not in str(photo.id).replace("-", "")

    def test_each_photo_has_its_own_key(self, link):
        first, second = store(link, position=0), store(link, position=1)

        assert bytes(first.wrapped_key) != bytes(second.wrapped_key)
        assert first.blob_name != second.blob_name
        blobs = BlobStore()
        assert blobs.read(first.blob_name) != blobs.read(second.blob_name)

    def test_refuses_bytes_that_do_not_match_their_checksum(self, link):
        other_sha256 = hashlib.sha256(b"other").hexdigest()
        processed = StandInProcessedPhoto(data=b"photo", sha256=other_sha256)

        with pytest.raises(ValueError, match="SHA-256"):
            store_photo(
                processed,
                practice=link.photo_request.practice,
                link=link,
                label=Label.WHERE,
                position=0,
                original_size=5,
            )
        assert list(BlobStore().blobs()) == []
        assert not Photo.objects.exists()

    def test_refuses_a_link_from_another_practice(self, link, other_practice):
        with pytest.raises(ValueError, match="another practice"):
            store_photo(
                processed_photo(),
                practice=other_practice,
                link=link,
                label=Label.WHERE,
                position=0,
                original_size=5,
            )
        assert list(BlobStore().blobs()) == []

    def test_a_failed_insert_removes_its_blob(self, link, monkeypatch):
        def fail(**fields):
            raise RuntimeError("database went away")

        monkeypatch.setattr(Photo.objects, "create", fail)

        with pytest.raises(RuntimeError):
            store(link)
        assert list(BlobStore().blobs()) == []


class TestReadPhoto:
    def test_a_blob_swapped_with_another_photos_is_refused_and_alerted(self, link, caplog):
        first = store(link, b"first photo " + MARKER, position=0)
        second = store(link, b"second photo " + MARKER, position=1)
        blobs = BlobStore()
        first_bytes, second_bytes = blobs.read(first.blob_name), blobs.read(second.blob_name)
        blobs.write(first.blob_name, second_bytes)
        blobs.write(second.blob_name, first_bytes)

        with caplog.at_level(logging.ERROR), pytest.raises(PhotoIntegrityError):
            read_photo(second)

        assert_alert_names_only(caplog, second)

    def test_a_changed_checksum_is_refused_and_alerted(self, link, caplog):
        photo = store(link)
        Photo.objects.filter(pk=photo.pk).update(sha256=hashlib.sha256(b"other").hexdigest())
        photo.refresh_from_db()

        with caplog.at_level(logging.ERROR), pytest.raises(PhotoIntegrityError):
            read_photo(photo)

        assert_alert_names_only(caplog, photo)

    def test_a_changed_blob_is_refused(self, link, caplog):
        photo = store(link)
        path = BlobStore().path(photo.blob_name)
        stored = path.read_bytes()
        path.write_bytes(stored[:100] + bytes([stored[100] ^ 1]) + stored[101:])

        with caplog.at_level(logging.ERROR), pytest.raises(PhotoIntegrityError):
            read_photo(photo)

        assert_alert_names_only(caplog, photo)

    def test_a_missing_blob_is_refused(self, link, caplog):
        photo = store(link)
        BlobStore().delete(photo.blob_name)

        with caplog.at_level(logging.ERROR), pytest.raises(PhotoIntegrityError):
            read_photo(photo)

        assert_alert_names_only(caplog, photo)

    def test_a_changed_blob_name_is_refused(self, link, caplog):
        photo = store(link)
        photo.blob_name = "../../../etc/passwd"

        with caplog.at_level(logging.ERROR), pytest.raises(PhotoIntegrityError):
            read_photo(photo)

        assert_alert_names_only(caplog, photo)

    def test_a_missing_kek_says_so(self, link, settings, caplog):
        photo = store(link)
        settings.PHOTO_ENCRYPTION_KEYS = "other:" + "A" * 43 + "="
        settings.PHOTO_ENCRYPTION_KEY_ID = "other"

        with caplog.at_level(logging.ERROR), pytest.raises(crypto.UnknownKey):
            read_photo(photo)
        [alert] = caplog.records
        assert alert.photo_id == str(photo.id)


def assert_alert_names_only(caplog, photo):
    [alert] = [record for record in caplog.records if record.levelno == logging.ERROR]
    message = alert.getMessage()
    assert alert.name == "clinical_photos.photos.storage"
    assert alert.photo_id == str(photo.id)
    # The message names the photo by its id, though today core.logging's filter (which runs
    # before caplog sees the record) redacts every UUID; `photo_id` keeps it meanwhile.
    assert f"photo {photo.id} " in message or "photo [redacted] " in message
    patient = photo.link.photo_request.patient
    for secret in (
        photo.blob_name,
        photo.sha256,
        patient.given_name,
        patient.family_name,
        patient.nhs_number,
        photo.link.token_sha256,
        MARKER.decode(),
    ):
        assert secret not in message
    assert alert.exc_info is None


class TestDestroyPhotoKey:
    def test_the_photo_can_never_be_read_again(self, link, django_capture_on_commit_callbacks):
        photo = store(link)
        path = BlobStore().path(photo.blob_name)

        with django_capture_on_commit_callbacks(execute=True):
            destroy_photo_key(photo)

        photo.refresh_from_db()
        assert photo.wrapped_key is None
        assert not path.exists()
        with pytest.raises(crypto.KeyDestroyed):
            read_photo(photo)

    def test_the_blob_stays_until_the_transaction_commits(
        self, link, django_capture_on_commit_callbacks
    ):
        photo = store(link)

        with django_capture_on_commit_callbacks() as callbacks:
            destroy_photo_key(photo)
            assert BlobStore().exists(photo.blob_name)

        assert len(callbacks) == 1


class TestDiscardUnsentPhoto:
    def test_removes_the_row_and_the_blob(self, link, django_capture_on_commit_callbacks):
        photo = store(link)

        with django_capture_on_commit_callbacks(execute=True):
            assert discard_unsent_photo(photo) is True

        assert not Photo.objects.filter(pk=photo.pk).exists()
        assert not BlobStore().exists(photo.blob_name)

    def test_never_removes_a_sent_photo(self, link):
        photo = store(link)
        photo.response_id = "a sent photo"  # Only the id matters here.

        with pytest.raises(ValueError, match="was sent"):
            discard_unsent_photo(photo)
        assert Photo.objects.filter(pk=photo.pk).exists()
        assert BlobStore().exists(photo.blob_name)


class TestPreview:
    """The small preview made at upload: sealed under the photo's own key, in its row."""

    def test_is_kept_encrypted_and_reads_back(self, link):
        photo = store(link)

        row = Photo.objects.get(pk=photo.pk)
        assert MARKER not in bytes(row.preview_ciphertext)
        assert read_preview(row) == b"PREVIEW-" + MARKER

    def test_goes_with_the_photos_key(self, link):
        photo = store(link)

        destroy_photo_key(photo)

        assert Photo.objects.get(pk=photo.pk).preview_ciphertext is None
        with pytest.raises(crypto.KeyDestroyed):
            read_preview(photo)

    def test_a_preview_moved_to_another_photo_is_refused(self, link, caplog):
        first, second = store(link), store(link, position=1)
        Photo.objects.filter(pk=second.pk).update(preview_ciphertext=first.preview_ciphertext)

        with caplog.at_level(logging.ERROR), pytest.raises(PhotoIntegrityError):
            read_preview(second)
        assert "ALERT photo integrity" in caplog.text

    def test_cannot_be_opened_as_the_photo_itself(self, link):
        photo = store(link)
        row = Photo.objects.get(pk=photo.pk)

        with pytest.raises(crypto.AuthenticationFailed):
            crypto.open_sealed(
                bytes(row.preview_ciphertext),
                key_id=row.key_id,
                wrapped_key=row.wrapped_key,
                aad=photo_aad(row.id),
            )

    def test_a_photo_stored_without_one_has_none(self, link):
        photo = store_photo(
            StandInProcessedPhoto(
                data=MARKER, sha256=hashlib.sha256(MARKER).hexdigest(), preview=b""
            ),
            practice=link.photo_request.practice,
            link=link,
            label=Label.CLOSE_UP,
            position=0,
            original_size=10,
        )

        assert read_preview(photo) is None
