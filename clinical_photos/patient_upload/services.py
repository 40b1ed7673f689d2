"""What a patient can do through their link. Each step is one transaction with its audit entry.

The order of the steps is the journey in views.py; the rules live here: the photos held until
the patient sends them, and the single answer a request can have. Which links work, and the
date of birth that opens them, are the same for every link (patient_links).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record
from clinical_photos.messaging.staff_emails import tell_requester
from clinical_photos.photo_requests import lifecycle
from clinical_photos.photo_requests.follow_ups import services as follow_ups
from clinical_photos.photo_requests.models import FollowUp, PatientLink
from clinical_photos.photos import crypto, pipeline, storage
from clinical_photos.photos.models import Label, Photo

from .models import CONSENT_VERSION, PatientResponse

MAX_PHOTOS = 5
NOTE_MAX_LENGTH = 600


class AlreadyAnswered(Exception):
    """The request already has its answer (another tab, a double click, a second phone)."""


class NothingToSend(Exception):
    """The patient has not chosen any photos yet."""


def has_answer(link: PatientLink) -> bool:
    return PatientResponse.objects.filter(photo_request_id=link.photo_request_id).exists()


def unsent_photos(link: PatientLink):
    return link.photos.filter(response__isnull=True).order_by("position", "created_at")


@dataclass(frozen=True)
class UploadProblem:
    filename: str
    message: str


class PhotoRefused(Exception):
    """A photo that cannot be kept; `message` says why, for the patient."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TooManyPhotos(PhotoRefused):
    def __init__(self):
        super().__init__(
            f"You can send up to {MAX_PHOTOS} photos. Remove one before adding another."
        )


def add_photo(
    link: PatientLink,
    content: bytes,
    filename: str,
    label: str,
    *,
    replacing=None,
    position: int | None = None,
) -> Photo:
    """Check, clean and keep one chosen photo until the patient sends it; PhotoRefused if not.

    `replacing` names an unsent photo of this link that the new one takes the place of (and
    its place in the list): it is removed only once the new one is kept, in the same
    transaction, so a replacement that fails leaves the old photo where it was. `position`
    places the photo in the list (photos sent one by one, at once, arrive in any order);
    without it, the photo goes last.
    """
    # A quick look before the work of processing; the count is checked again under a lock.
    if replacing is None and unsent_photos(link).count() >= MAX_PHOTOS:
        raise TooManyPhotos
    try:
        processed = pipeline.process_photo(content, filename=filename)
    except pipeline.PhotoRejected as rejected:
        raise PhotoRefused(rejected.message) from None
    with transaction.atomic():
        # Two tabs adding at once must not make six: they take turns on the link's row.
        PatientLink.objects.select_for_update(no_key=True).get(pk=link.pk)
        old = unsent_photos(link).filter(id=replacing).first() if replacing else None
        if old is not None:
            position = old.position
            _remove(link, old)
        if unsent_photos(link).count() >= MAX_PHOTOS:
            raise TooManyPhotos
        if position is None:
            last = unsent_photos(link).order_by("-position").values_list("position", flat=True)
            position = (last.first() or 0) + 1
        photo = storage.store_photo(
            processed,
            practice=link.photo_request.practice,
            link=link,
            label=label if label in Label.values else Label.CLOSE_UP,
            position=position,
            original_size=len(content),
        )
        record(
            Action.PHOTO_ADDED,
            patient_link=link,
            practice=link.photo_request.practice,
            target=photo,
        )
    return photo


def add_photos(
    link: PatientLink, uploads: list[tuple[bytes, str, str]]
) -> tuple[list[Photo], list[UploadProblem]]:
    """Check, clean and keep each chosen photo until the patient sends them.

    `uploads` holds (content, filename, label). Each good photo is kept even when another is
    refused, so the patient only chooses the refused ones again.
    """
    stored: list[Photo] = []
    problems: list[UploadProblem] = []
    for content, filename, label in uploads:
        try:
            stored.append(add_photo(link, content, filename, label))
        except PhotoRefused as refused:
            problems.append(UploadProblem(filename, refused.message))
    return stored, problems


def photo_number(link: PatientLink, photo: Photo) -> int:
    """Where the photo comes in the patient's list of chosen photos, from 1."""
    return list(unsent_photos(link).values_list("id", flat=True)).index(photo.id) + 1


def relabel_photos(link: PatientLink, labels: dict[str, str]) -> None:
    with transaction.atomic():
        for photo in unsent_photos(link).select_for_update():
            label = labels.get(str(photo.id))
            if label in Label.values and label != photo.label:
                photo.label = label
                photo.save(update_fields=["label"])


def remove_photo(link: PatientLink, photo_id) -> bool:
    with transaction.atomic():
        photo = unsent_photos(link).filter(id=photo_id).first()
        if photo is None:
            return False
        _remove(link, photo)
    return True


def _remove(link: PatientLink, photo: Photo) -> None:
    record(
        Action.PHOTO_REMOVED,
        patient_link=link,
        practice=link.photo_request.practice,
        target=photo,
    )
    storage.discard_unsent_photo(photo)


def save_note(link: PatientLink, note: str) -> None:
    """The note waits, encrypted, on the link until the patient sends it."""
    note = note.strip()
    link.draft_note_encrypted = crypto.encrypt_text(note, aad=_note_aad(link)) if note else None
    link.save(update_fields=["draft_note_encrypted"])


def saved_note(link: PatientLink) -> str:
    if not link.draft_note_encrypted:
        return ""
    return crypto.decrypt_text(bytes(link.draft_note_encrypted), aad=_note_aad(link))


def _note_aad(link: PatientLink) -> bytes:
    return f"note:{link.id}".encode()


def _answer(link: PatientLink, kind: str, text: str, consent_version: str) -> PatientResponse:
    try:
        request = lifecycle.lock_open(link.photo_request)
    except lifecycle.RequestNotOpen:
        raise AlreadyAnswered from None
    if hasattr(request, "response"):
        raise AlreadyAnswered
    response = PatientResponse(
        practice=request.practice,
        photo_request=request,
        link=link,
        kind=kind,
        consent_version=consent_version,
    )
    response.text = text
    try:
        # The one-to-one with the request is what makes exactly one of two racing answers win.
        with transaction.atomic():
            response.save()
    except IntegrityError as error:
        raise AlreadyAnswered from error
    PatientLink.objects.filter(pk=link.pk).update(used_at=timezone.now(), draft_note_encrypted=None)
    lifecycle.answer(request, with_photos=kind == PatientResponse.Kind.PHOTOS)
    return response


def send_photos(link: PatientLink) -> PatientResponse:
    """The patient sends what they chose, agreeing to it going into their record."""
    with transaction.atomic():
        photos = list(unsent_photos(link).select_for_update())
        if not photos:
            if has_answer(link):
                raise AlreadyAnswered
            raise NothingToSend
        response = _answer(link, PatientResponse.Kind.PHOTOS, saved_note(link), CONSENT_VERSION)
        Photo.objects.filter(id__in=[p.id for p in photos]).update(response=response)
        record(
            Action.PHOTOS_SENT,
            patient_link=link,
            practice=response.practice,
            target=link.photo_request,
            detail={"photos": len(photos)},
        )
        tell_requester(response.photo_request)
    return response


def is_follow_up(link: PatientLink) -> bool:
    """Whether the link's request is one of a follow-up series that is still going."""
    return FollowUp.objects.filter(
        photo_request_id=link.photo_request_id, series__stopped_at=None
    ).exists()


def decline(link: PatientLink, reason: str, *, stop_follow_ups: bool = False) -> PatientResponse:
    """The patient chose not to send photos; for a follow-up request, they may also stop the
    rest of the series ("I no longer need to send these photos")."""
    with transaction.atomic():
        response = _answer(link, PatientResponse.Kind.DECLINED, reason, "")
        for photo in unsent_photos(link):
            storage.discard_unsent_photo(photo)
        record(
            Action.PHOTOS_DECLINED,
            patient_link=link,
            practice=response.practice,
            target=link.photo_request,
        )
        if stop_follow_ups:
            follow_ups.stop_series_for_patient(link=link)
        tell_requester(response.photo_request)
    return response
