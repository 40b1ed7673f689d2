"""Key rotation and the hourly sweep: what keeps stored photos readable, and nothing more."""

import os
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clinical_photos.patient_upload.models import CONSENT_VERSION, PatientResponse
from clinical_photos.photo_requests.services import cancel_request, resend_request
from clinical_photos.photos import crypto, tasks
from clinical_photos.photos.models import Photo
from clinical_photos.photos.storage import BlobStore, destroy_photo_key, read_photo
from clinical_photos.photos.tests.test_crypto import FIRST_KEY, SECOND_KEY, use_keys
from clinical_photos.photos.tests.test_storage import make_link, store

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def link(clinician):
    return make_link(clinician)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def waiting_sweeps() -> int:
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=tasks.sweep_stray_blobs.module_path
    ).count()


def age(path, delta: timedelta) -> None:
    then = (timezone.now() - delta).timestamp()
    os.utime(path, (then, then))


def send(photo: Photo, *, text: str = "") -> PatientResponse:
    """The patient sends the photo: it gets a response, as sending does."""
    link = photo.link
    response = PatientResponse(
        practice=link.photo_request.practice,
        photo_request=link.photo_request,
        link=link,
        kind=PatientResponse.Kind.PHOTOS,
        consent_version=CONSENT_VERSION,
    )
    if text:
        response.text_encrypted = crypto.encrypt_text(text, aad=f"response:{response.id}".encode())
    response.save()
    Photo.objects.filter(pk=photo.pk).update(response=response)
    return response


class TestRotatePhotoKeys:
    def test_after_rotation_the_old_key_can_go(self, link, settings):
        photos = [store(link, f"photo {n}".encode(), position=n) for n in range(3)]
        response = send(photos[0], text="It itches")
        blobs_before = {p.blob_name: BlobStore().read(p.blob_name) for p in photos}
        use_keys(settings, f"test-1:{FIRST_KEY},test-2:{SECOND_KEY}", "test-2")

        output = run("rotate_photo_keys", "--batch-size", "2")

        assert "Re-wrapped 3 photo keys and 1 text key under 'test-2'" in output
        use_keys(settings, f"test-2:{SECOND_KEY}", "test-2")
        for photo in photos:
            photo.refresh_from_db()
            assert photo.key_id == "test-2"
            assert read_photo(photo) == f"photo {photo.position}".encode()
        # Only the wrapped keys changed: not one blob was rewritten.
        assert {name: BlobStore().read(name) for name in blobs_before} == blobs_before
        response.refresh_from_db()
        text = crypto.decrypt_text(
            bytes(response.text_encrypted), aad=f"response:{response.id}".encode()
        )
        assert text == "It itches"

    def test_moves_a_draft_note_on_a_link_too(self, link, settings):
        if not hasattr(link, "draft_note_encrypted"):
            pytest.skip("PatientLink has no draft note yet")
        link.draft_note_encrypted = crypto.encrypt_text("draft", aad=b"note:1")
        link.save(update_fields=["draft_note_encrypted"])
        use_keys(settings, f"test-1:{FIRST_KEY},test-2:{SECOND_KEY}", "test-2")

        run("rotate_photo_keys")

        link.refresh_from_db()
        assert crypto.text_key_id(link.draft_note_encrypted) == "test-2"

    def test_running_again_changes_nothing(self, link, settings):
        photo = store(link)
        use_keys(settings, f"test-1:{FIRST_KEY},test-2:{SECOND_KEY}", "test-2")
        run("rotate_photo_keys")
        photo.refresh_from_db()
        wrapped = bytes(photo.wrapped_key)

        output = run("rotate_photo_keys")

        assert "Re-wrapped 0 photo keys and 0 text keys" in output
        photo.refresh_from_db()
        assert bytes(photo.wrapped_key) == wrapped

    def test_skips_photos_whose_keys_were_destroyed(self, link, settings):
        kept, destroyed = store(link, position=0), store(link, position=1)
        destroy_photo_key(destroyed)
        use_keys(settings, f"test-1:{FIRST_KEY},test-2:{SECOND_KEY}", "test-2")

        output = run("rotate_photo_keys")

        assert "Re-wrapped 1 photo key" in output
        assert "1 photo skipped (key destroyed)" in output
        destroyed.refresh_from_db()
        assert (destroyed.key_id, destroyed.wrapped_key) == ("test-1", None)
        kept.refresh_from_db()
        assert kept.key_id == "test-2"

    def test_fails_loudly_when_a_key_is_already_missing(self, link, settings):
        lost, fine = store(link, position=0), store(link, position=1)
        Photo.objects.filter(pk=lost.pk).update(key_id="retired")
        use_keys(settings, f"test-1:{FIRST_KEY},test-2:{SECOND_KEY}", "test-2")

        with pytest.raises(CommandError, match="1 key could not be re-wrapped") as raised:
            run("rotate_photo_keys")

        assert raised.value.returncode == 1
        fine.refresh_from_db()
        assert fine.key_id == "test-2"

    def test_check_counts_what_still_uses_an_old_key(self, link, settings):
        store(link, position=0)
        store(link, position=1)
        use_keys(settings, f"test-1:{FIRST_KEY},test-2:{SECOND_KEY}", "test-2")

        with pytest.raises(CommandError, match="2 photos and 0 texts") as raised:
            run("rotate_photo_keys", "--check")
        assert raised.value.returncode == 1

        run("rotate_photo_keys")
        assert "Every photo and text key is under 'test-2'" in run("rotate_photo_keys", "--check")

    def test_check_counts_old_texts(self, link, settings):
        send(store(link), text="A note")
        use_keys(settings, f"test-1:{FIRST_KEY},test-2:{SECOND_KEY}", "test-2")
        Photo.objects.update(key_id="test-2")  # As if only the photos had been moved.

        with pytest.raises(CommandError, match="0 photos and 1 text"):
            run("rotate_photo_keys", "--check")

    def test_check_with_nothing_stored_is_fine(self, db):
        assert "Every photo and text key is under 'test-1'" in run("rotate_photo_keys", "--check")


def stray_blob(age_by: timedelta) -> str:
    blobs = BlobStore()
    name = blobs.new_name()
    blobs.write(name, b"ciphertext of an upload that never got its row")
    age(blobs.path(name), age_by)
    return name


def sweep(django_capture_on_commit_callbacks) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.sweep_stray_blobs.call()


class TestSweepStrayBlobs:
    def test_removes_old_strays_and_keeps_young_ones(self, db, django_capture_on_commit_callbacks):
        old, young = stray_blob(timedelta(hours=2)), stray_blob(timedelta(minutes=30))

        counts = sweep(django_capture_on_commit_callbacks)

        assert counts["stray_blobs"] == 1
        assert not BlobStore().exists(old)
        assert BlobStore().exists(young)

    def test_keeps_the_blobs_of_photos(self, link, django_capture_on_commit_callbacks):
        photo = store(link)
        age(BlobStore().path(photo.blob_name), timedelta(days=3))

        sweep(django_capture_on_commit_callbacks)

        assert read_photo(photo)

    def test_removes_what_a_destroyed_photo_left(self, link, django_capture_on_commit_callbacks):
        photo = store(link)
        # As if the process stopped between the commit and the blob's removal.
        Photo.objects.filter(pk=photo.pk).update(wrapped_key=None)
        age(BlobStore().path(photo.blob_name), timedelta(hours=2))

        counts = sweep(django_capture_on_commit_callbacks)

        assert counts["destroyed_key_blobs"] == 1
        assert not BlobStore().exists(photo.blob_name)
        assert Photo.objects.filter(pk=photo.pk).exists()

    def test_removes_old_unfinished_writes(self, link, django_capture_on_commit_callbacks):
        photo = store(link)
        folder = BlobStore().path(photo.blob_name).parent
        old, young = folder / ".partial-old", folder / ".partial-young"
        old.write_bytes(b"half")
        young.write_bytes(b"half")
        age(old, timedelta(hours=2))

        counts = sweep(django_capture_on_commit_callbacks)

        assert counts["partial_files"] == 1
        assert not old.exists()
        assert young.exists()

    @pytest.mark.parametrize(
        "link_now",
        [
            {"expires_at": timezone.now() - timedelta(minutes=1)},
            {"replaced_at": timezone.now() - timedelta(minutes=1)},
            {"used_at": timezone.now() - timedelta(days=1, minutes=1)},
        ],
        ids=["expired", "replaced", "used-over-a-day-ago"],
    )
    def test_removes_photos_that_can_no_longer_be_sent(
        self, link, link_now, django_capture_on_commit_callbacks
    ):
        photo = store(link)
        type(link).objects.filter(pk=link.pk).update(**link_now)

        counts = sweep(django_capture_on_commit_callbacks)

        assert counts["unsent_photos"] == 1
        assert not Photo.objects.filter(pk=photo.pk).exists()
        assert not BlobStore().exists(photo.blob_name)

    def test_removes_unsent_photos_of_a_cancelled_request(
        self, link, django_capture_on_commit_callbacks
    ):
        photo = store(link)
        photo_request = link.photo_request
        cancel_request(by=photo_request.requested_by, photo_request=photo_request)

        sweep(django_capture_on_commit_callbacks)

        assert not Photo.objects.filter(pk=photo.pk).exists()

    def test_keeps_photos_carried_over_to_a_new_link(
        self, link, django_capture_on_commit_callbacks
    ):
        photo = store(link)
        photo_request = link.photo_request
        # Staff send the text again: the old link is replaced, the photo goes to the new one.
        resend_request(by=photo_request.requested_by, photo_request=photo_request)

        counts = sweep(django_capture_on_commit_callbacks)

        assert counts["unsent_photos"] == 0
        assert read_photo(photo)

    def test_keeps_photos_carried_over_while_it_was_looking(self, link, monkeypatch):
        photo = store(link)
        type(link).objects.filter(pk=link.pk).update(expires_at=timezone.now())
        photo_request = link.photo_request
        in_batches = tasks.batched

        def sent_again_meanwhile(ids, size):
            # The sweep has listed the expired link's photo; staff send the text again before
            # it removes it, which carries the photo over to a link that works.
            resend_request(by=photo_request.requested_by, photo_request=photo_request)
            return in_batches(ids, size)

        monkeypatch.setattr(tasks, "batched", sent_again_meanwhile)

        assert tasks._remove_unsendable_photos(timezone.now()) == 0
        assert read_photo(photo)

    @pytest.mark.parametrize(
        "link_now",
        [{}, {"used_at": timezone.now() - timedelta(hours=1)}],
        ids=["open", "used-an-hour-ago"],
    )
    def test_keeps_photos_that_may_still_be_sent(
        self, link, link_now, django_capture_on_commit_callbacks
    ):
        photo = store(link)
        type(link).objects.filter(pk=link.pk).update(**link_now)

        counts = sweep(django_capture_on_commit_callbacks)

        assert counts["unsent_photos"] == 0
        assert read_photo(photo)

    def test_never_removes_sent_photos(self, link, django_capture_on_commit_callbacks):
        photo = store(link)
        send(photo)
        age(BlobStore().path(photo.blob_name), timedelta(days=30))
        type(link).objects.filter(pk=link.pk).update(
            used_at=timezone.now() - timedelta(days=20),
            expires_at=timezone.now() - timedelta(days=10),
            replaced_at=timezone.now() - timedelta(days=10),
        )

        counts = sweep(django_capture_on_commit_callbacks)

        assert counts["unsent_photos"] == 0
        assert read_photo(photo)

    def test_logs_only_counts(self, link, caplog, django_capture_on_commit_callbacks):
        store(link)
        stray_blob(timedelta(hours=2))

        with caplog.at_level("INFO", logger="clinical_photos.photos.tasks"):
            sweep(django_capture_on_commit_callbacks)

        [message] = [r.getMessage() for r in caplog.records if r.name.endswith("photos.tasks")]
        assert message.startswith("Photo housekeeping removed 1 stray blobs")


class TestScheduling:
    def test_queues_the_next_run_an_hour_later(self, db, settings):
        settings.TASKS = DATABASE_TASKS
        before = timezone.now()

        tasks.sweep_stray_blobs.call()

        [waiting] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        assert waiting.task_path == "clinical_photos.photos.tasks.sweep_stray_blobs"
        assert before + timedelta(minutes=59) < waiting.run_after
        assert waiting.run_after < timezone.now() + timedelta(minutes=61)

    def test_queues_the_next_run_even_when_this_one_fails(self, db, settings, monkeypatch):
        settings.TASKS = DATABASE_TASKS

        def fail(now):
            raise OSError("disk gone")

        monkeypatch.setattr(tasks, "_remove_stray_blobs", fail)

        with pytest.raises(OSError):
            tasks.sweep_stray_blobs.call()
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1

    def test_does_not_queue_again_without_deferred_tasks(self, db, settings):
        settings.TASKS = {
            "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        }

        assert tasks.schedule_sweep(delay=timedelta(hours=1)) is None

    def test_the_command_queues_one_run_however_often_it_is_run(self, db, settings):
        settings.TASKS = DATABASE_TASKS

        first = run("schedule_housekeeping")
        second = run("schedule_housekeeping")
        tasks.sweep_stray_blobs.call()  # A run while another waits does not add one.

        assert "Queued photo housekeeping" in first
        assert "already queued" in second
        assert waiting_sweeps() == 1

    def test_the_command_queues_again_once_the_waiting_run_has_finished(self, db, settings):
        settings.TASKS = DATABASE_TASKS
        run("schedule_housekeeping")
        DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)

        assert "Queued photo housekeeping" in run("schedule_housekeeping")
        assert waiting_sweeps() == 1

    def test_on_the_immediate_backend_the_command_sweeps_once(self, db):
        old = stray_blob(timedelta(hours=2))

        output = run("schedule_housekeeping")

        assert "will not repeat by itself" in output
        assert not BlobStore().exists(old)
