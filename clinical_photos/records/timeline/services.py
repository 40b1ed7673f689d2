"""What clinicians do with filed photos: look at them, compare them, correct them, remove them.

Each function takes the acting user, runs in one transaction and writes its audit entry there.
Audit details hold ids, codes and counts only: a condition is clinical text, so a change to it
is recorded by the field's name, never its words.

Only clinicians of the patient's practice ever get a photo's bytes (`open_photo`); anyone else
who asks is refused and the refusal is audited (`refuse_photo`).
"""

import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageOps

from clinical_photos.accounts.models import User
from clinical_photos.accounts.permissions import Permission, require
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import body_sites
from clinical_photos.photos import pipeline, storage, turn
from clinical_photos.photos.models import Photo

logger = logging.getLogger(__name__)

CONDITION_MAX_LENGTH = 100
REMOVAL_DETAIL_MAX_LENGTH = 500
PREVIEW_SIZE = pipeline.PREVIEW_SIZE


class RemovalReason:
    INTIMATE = "intimate"
    WRONG_PATIENT = "wrong_patient"
    OTHER = "other"
    CHOICES = [
        (INTIMATE, "It is an intimate image"),
        (WRONG_PATIENT, "It is a photo of the wrong person"),
        (OTHER, "Another reason"),
    ]
    WORDS = dict(CHOICES)


class PhotoGone(Exception):
    """The photo was removed from the record (perhaps a moment ago, in another tab)."""


class UnknownBodySite(ValueError):
    """A body site that is not on the service's list."""


def _locked_photo(photo: Photo) -> Photo:
    locked = Photo.objects.select_for_update().get(pk=photo.pk)
    if locked.removed_at is not None or locked.patient_id is None:
        raise PhotoGone
    return locked


def _preview(photo: Photo) -> bytes:
    """The small JPEG made when the photo arrived; for older photos, one made now in memory."""
    stored = storage.read_preview(photo)
    if stored is not None:
        return stored
    with Image.open(io.BytesIO(storage.read_photo(photo))) as image:
        # For a JPEG, draft decodes at a reduced scale: much less work than a full decode.
        image.draft("RGB", PREVIEW_SIZE)
        return pipeline.make_preview(ImageOps.exif_transpose(image))


@dataclass(frozen=True)
class PhotoBytes:
    data: bytes
    content_type: str


def open_photo(*, by: User, photo: Photo, preview: bool = False, degrees: int = 0) -> PhotoBytes:
    """A clinician opens a photo: its bytes, and one audit entry saying who, which and when.

    `degrees` turns the copy sent clockwise, to look at; what is stored never changes.
    Raises `crypto.Unreadable` (a `storage.PhotoIntegrityError` among them) when the bytes
    fail any check; then nothing is shown and nothing is recorded as viewed.
    """
    require(by, Permission.SEE_PHOTOS, of=photo)
    if photo.removed_at is not None or photo.patient_id is None:
        raise PhotoGone
    with transaction.atomic():
        result = (
            PhotoBytes(_preview(photo), "image/jpeg")
            if preview
            else PhotoBytes(
                turn.turned(storage.read_photo(photo), photo.content_type, degrees),
                photo.content_type,
            )
        )
        record(
            Action.PHOTO_VIEWED,
            user=by,
            target=photo,
            detail={"patient": str(photo.patient_id), "preview": preview},
        )
    return result


def refuse_photo(by: User, photo: Photo) -> None:
    """Someone who may not see images asked for one: recorded, and they get nothing."""
    with transaction.atomic():
        record(Action.PHOTO_VIEW_REFUSED, user=by, target=photo, detail={"role": by.role})


def record_timeline_viewed(*, by: User, patient: Patient, photos: int) -> None:
    with transaction.atomic():
        record(Action.TIMELINE_VIEWED, user=by, target=patient, detail={"photos": photos})


def record_photos_compared(*, by: User, first: Photo, second: Photo) -> None:
    if first.patient_id != second.patient_id or first.patient_id is None:
        raise ValueError("Only photos of the same patient are compared.")
    with transaction.atomic():
        record(
            Action.PHOTOS_COMPARED,
            user=by,
            target=first.patient,
            detail={"photos": [str(first.id), str(second.id)]},
        )


def change_photo_details(*, by: User, photo: Photo, body_site_code: str, condition: str) -> Photo:
    """Correct the body site (from the list only) and name the condition."""
    require(by, Permission.CORRECT_RECORD, of=photo)
    if body_sites.get(body_site_code) is None:
        raise UnknownBodySite("The body site must come from the list.")
    condition = " ".join(condition.split())
    if len(condition) > CONDITION_MAX_LENGTH:
        raise ValueError(f"A condition is at most {CONDITION_MAX_LENGTH} characters.")
    with transaction.atomic():
        locked = _locked_photo(photo)
        changed = []
        detail: dict = {}
        if locked.body_site_code != body_site_code:
            detail["body_site"] = {"old": locked.body_site_code, "new": body_site_code}
            locked.body_site_code = body_site_code
            changed.append("body_site_code")
        if locked.condition != condition:
            changed.append("condition")
        locked.condition = condition
        if changed:
            locked.save(update_fields=["body_site_code", "condition"])
            detail["fields"] = changed
            record(Action.PHOTO_DETAILS_CHANGED, user=by, target=locked, detail=detail)
    return locked


def mark_entered_in_error(*, by: User, photo: Photo) -> Photo:
    """The photo stays in the record, marked so no one relies on it; it can still be seen."""
    require(by, Permission.CORRECT_RECORD, of=photo)
    with transaction.atomic():
        locked = _locked_photo(photo)
        if locked.entered_in_error_at is None:
            locked.entered_in_error_at, locked.entered_in_error_by = timezone.now(), by
            locked.save(update_fields=["entered_in_error_at", "entered_in_error_by"])
            record(Action.PHOTO_ENTERED_IN_ERROR, user=by, target=locked)
    return locked


def removal_words(reason: str, detail: str) -> str:
    words = RemovalReason.WORDS[reason]
    return f"{words}: {detail}" if detail else words


def remove_from_record(*, by: User, photo: Photo, reason: str, detail: str = "") -> Photo:
    """Take an image that must never be kept out of the record, for good.

    In one transaction: the tombstone (who, when, why), the photo's key destroyed (its blob is
    deleted when the transaction commits), the audit entry, and the Caldicott Guardians told.
    Their emails leave after the commit, so no one is told of a removal that rolled back.
    """
    require(by, Permission.CORRECT_RECORD, of=photo)
    if reason not in RemovalReason.WORDS:
        raise ValueError("Say why the photo is being removed.")
    detail = detail.strip()
    if reason == RemovalReason.OTHER and not detail:
        raise ValueError("Say why the photo is being removed.")
    if len(detail) > REMOVAL_DETAIL_MAX_LENGTH:
        raise ValueError(f"The reason is at most {REMOVAL_DETAIL_MAX_LENGTH} characters.")
    with transaction.atomic():
        locked = _locked_photo(photo)
        locked.removed_at, locked.removed_by = timezone.now(), by
        locked.removal_reason = removal_words(reason, detail)
        locked.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        storage.destroy_photo_key(locked)
        record(
            Action.PHOTO_REMOVED_FROM_RECORD,
            user=by,
            target=locked,
            detail={"reason": reason, "patient": str(locked.patient_id)},
        )
        _tell_caldicott_guardians(by=by, photo=locked)
    return locked


def _tell_caldicott_guardians(*, by: User, photo: Photo) -> None:
    guardians = list(
        by.practice.users.filter(is_caldicott_guardian=True, is_active=True).order_by("email")
    )
    if not guardians:
        return
    link = f"{settings.SERVICE_BASE_URL.rstrip('/')}{reverse('record:photo', args=[photo.id])}"
    # No patient identifier and no clinical detail: only that it happened, and where to look.
    body = (
        "A clinician at your practice has removed a photo from a patient's record because it "
        "should never have been kept there. Its key has been destroyed, so it cannot be seen "
        "again.\n\n"
        "As your practice's Caldicott Guardian you are told of every removal. Log in to see "
        f"who removed it, when and why:\n\n{link}\n"
    )
    addresses = [guardian.email for guardian in guardians]
    record(
        Action.CALDICOTT_GUARDIAN_TOLD,
        user=by,
        target=photo,
        detail={"guardians": [str(guardian.id) for guardian in guardians]},
    )

    def send() -> None:
        for address in addresses:
            send_mail(
                "A photo was removed from a patient's record",
                body,
                None,
                [address],
            )

    transaction.on_commit(send, robust=True)
