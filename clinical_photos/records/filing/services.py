"""Filing a patient's photos into a record, by staff who never see them.

One step, one transaction: the Filing, each photo's patient and body site, and the audit entry
are written together or not at all. The response row is locked first, so two people pressing
the button at once file it once; the second is told who filed it (Filing is one-to-one with the
response, which settles it even where the database cannot lock rows).

Filing puts the photos in clinical review (review/services.py) in the same transaction.

Photos go to the patient the request was made for. Filing elsewhere (the wrong patient was
asked) is for clinicians only, into a patient of the same practice, with a reason kept on the
Filing and in the audit trail.
"""

from django.db import IntegrityError, transaction

from clinical_photos.accounts.models import Practice, User
from clinical_photos.accounts.permissions import Permission, require
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record
from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.patients.models import Patient
from clinical_photos.photos.models import Photo

from ..review.services import open_review
from .models import Filing

REASON_MAX_LENGTH = 1000


class FilingRefused(Exception):
    """Nothing was filed; `message` says why, in words for staff."""

    message = "These photos could not be filed"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message


class AlreadyFiled(FilingRefused):
    def __init__(self, filing: Filing):
        self.filing = filing
        super().__init__(
            f"These photos were already filed by {filing.filed_by.full_name}"
            f" on {_when(filing.filed_at)}. Nothing was changed."
        )


class NothingToFile(FilingRefused):
    message = "The patient chose not to send photos, so there is nothing to file."


class UnknownPatient(FilingRefused):
    message = "No patient at your practice has that NHS number."


class SamePatient(FilingRefused):
    message = "That is the patient the request was for. File the photos into their record instead."


class ReasonRequired(FilingRefused):
    message = "Enter why the photos belong to this patient."


def _when(moment) -> str:
    from clinical_photos.core.jinja_helpers import datetime_long

    return datetime_long(moment)


def practice_submission(practice: Practice, response_id) -> PatientResponse | None:
    """The practice's answer with this id, or None (another practice's is None too)."""
    return (
        practice.patient_responses.select_related(
            "photo_request__patient",
            "photo_request__template",
            "photo_request__requested_by",
            "filing__filed_by",
            "filing__patient",
        )
        .filter(id=response_id)
        .first()
    )


def existing_filing(response: PatientResponse) -> Filing | None:
    return Filing.objects.select_related("filed_by", "patient").filter(response=response).first()


def submission_photos(response: PatientResponse):
    """The photos the patient sent, in their order. Only their descriptions are ever shown."""
    return response.photos.order_by("position", "created_at")


def record_filing_viewed(*, by: User, response: PatientResponse) -> None:
    with transaction.atomic():
        record(Action.FILING_VIEWED, user=by, target=response)


def find_other_patient(practice: Practice, nhs_number: str) -> Patient | None:
    digits = "".join(c for c in nhs_number if c.isdigit())
    if len(digits) != 10:
        return None
    return practice.patients.filter(nhs_number=digits).first()


def file_submission(*, by: User, response: PatientResponse) -> Filing:
    """File the photos into the record of the patient the request was for."""
    require(by, Permission.FILE_SUBMISSIONS, of=response)
    return _file(by=by, response=response, patient=None, reason="")


def file_to_another_patient(
    *, by: User, response: PatientResponse, patient: Patient, reason: str
) -> Filing:
    """File the photos into another patient's record: the wrong patient was asked."""
    require(by, Permission.FILE_INTO_ANOTHER_RECORD, of=response)
    reason = reason.strip()
    if not reason:
        raise ReasonRequired
    if patient.practice_id != by.practice_id:
        raise UnknownPatient
    return _file(by=by, response=response, patient=patient, reason=reason[:REASON_MAX_LENGTH])


def _file(*, by: User, response: PatientResponse, patient: Patient | None, reason: str) -> Filing:
    with transaction.atomic():
        locked = (
            PatientResponse.objects.select_for_update(no_key=True)
            .select_related("photo_request__patient")
            .get(pk=response.pk)
        )
        if (filing := existing_filing(locked)) is not None:
            raise AlreadyFiled(filing)
        if locked.kind != PatientResponse.Kind.PHOTOS:
            raise NothingToFile
        requested_patient = locked.photo_request.patient
        if patient is not None and patient.pk == requested_patient.pk:
            raise SamePatient
        patient = patient or requested_patient
        photos = list(submission_photos(locked).select_for_update())
        try:
            with transaction.atomic():
                filing = Filing.objects.create(
                    practice=locked.practice,
                    response=locked,
                    patient=patient,
                    filed_by=by,
                    reason=reason,
                )
        except IntegrityError:
            # Another filing won a race the row lock could not stop (SQLite has no row locks).
            raise AlreadyFiled(existing_filing(locked)) from None
        codes = locked.photo_request.body_site_codes
        Photo.objects.filter(id__in=[photo.id for photo in photos]).update(
            patient=patient, body_site_code=codes[0] if codes else ""
        )
        record(
            Action.SUBMISSION_FILED,
            user=by,
            target=filing,
            detail={
                "response": str(locked.id),
                "request": str(locked.photo_request_id),
                "patient": str(patient.id),
                "photos": len(photos),
                "into_requested_patient": patient.pk == requested_patient.pk,
                # The reason is staff's words about the mix-up; kept on the Filing, not here,
                # as it may name people.
                "with_reason": bool(reason),
            },
        )
        open_review(filing, by=by)
    return filing
