"""Subject access: every filed photo of one patient, in one zip, with who viewed each and when.

The zip holds the photos' bytes (each decrypted and checked against its SHA-256), a readable
index (index.html: plain HTML with nothing fetched from anywhere, so it opens offline from the
unzipped folder), and a machine-readable one (index.json: the same facts, with the SHA-256 of
each file). Removed photos have no bytes any more: they are listed with who removed them,
when and why. A photo that fails its check is never put in the zip: it is listed as one that
could not be read (storage has already raised an alert), so one damaged file cannot block a
patient's request.

The zip is built in a temporary file, a photo at a time, never whole in memory. The command
writes it beside its destination and renames it into place, so a failure leaves no file; the
web page streams the temporary file, which goes when the download ends. Each export writes one
RECORD_EXPORTED audit entry.
"""

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from clinical_photos.accounts.models import Practice, User
from clinical_photos.accounts.permissions import Permission, require
from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.audit.services import record
from clinical_photos.core.forms import NHSNumberField
from clinical_photos.core.jinja_helpers import date_long, datetime_long
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import body_sites
from clinical_photos.photos import crypto, storage
from clinical_photos.photos.models import Photo

from ..filing.models import Filing

FORMAT = "clinical-photos-subject-access/1"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png"}


class ExportError(Exception):
    """An export that cannot be made; the message says why, in words for the person asking."""


@dataclass(frozen=True)
class ExportSummary:
    photos: int  # every filed photo, removed ones included
    files: int  # photos whose bytes are in the zip
    removed: int
    unreadable: int
    viewings: int


# Finding the patient (the command names them by NHS number) ------------------------------


def find_patient(nhs_number: str, ods_code: str | None = None) -> Patient:
    """The one patient with this NHS number (at the practice `ods_code`, if given)."""
    try:
        # The same check as every form that takes an NHS number.
        digits = NHSNumberField().clean(nhs_number or "")
    except ValidationError:
        raise ExportError(
            f"{nhs_number!r} is not a valid NHS number (10 digits, like 485 777 3456)."
        ) from None
    patients = Patient.objects.select_related("practice").filter(nhs_number=digits)
    if ods_code:
        practice = Practice.objects.filter(ods_code__iexact=ods_code.strip()).first()
        if practice is None:
            raise ExportError(f"No practice has the ODS code {ods_code!r}.")
        patient = patients.filter(practice=practice).first()
        if patient is None:
            raise ExportError(
                f"No patient with NHS number {digits} is registered at {practice.ods_code}."
            )
        return patient
    found = list(patients[:20])
    if not found:
        raise ExportError(f"No patient with NHS number {digits} is registered at any practice.")
    if len(found) > 1:
        codes = ", ".join(sorted(p.practice.ods_code for p in found))
        raise ExportError(
            f"NHS number {digits} is registered at more than one practice ({codes}). "
            "Name the practice with --practice ODS_CODE."
        )
    return found[0]


# What goes in the zip --------------------------------------------------------------------


def _filed_photos(patient: Patient) -> list[Photo]:
    return list(
        patient.photos.filter(practice_id=patient.practice_id)
        .select_related(
            "response__photo_request__requested_by",
            "response__photo_request__template",
            "response__filing__review__reviewed_by",
            "removed_by",
            "entered_in_error_by",
        )
        .order_by("created_at", "position", "id")
    )


def _person(user: User | None) -> dict:
    if user is None:
        return {"name": "Unknown", "role": ""}
    return {"name": user.full_name, "role": user.get_role_display()}


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment is not None else None


def _viewings_by_photo(photos: list[Photo]) -> dict[str, list[dict]]:
    """Who opened each photo and when, from the audit log (the Care Record Guarantee's
    "who has looked at my record")."""
    viewings: dict[str, list[dict]] = {str(photo.id): [] for photo in photos}
    if not photos:
        return viewings
    entries = (
        AuditEntry.objects.filter(action=Action.PHOTO_VIEWED, object_id__in=list(viewings))
        .select_related("user")
        .order_by("sequence")
    )
    for entry in entries.iterator(chunk_size=2000):
        viewings[entry.object_id].append(
            {
                "at": entry.at,
                **_person(entry.user),
                # The timeline's small previews are views too, and are listed as such.
                "preview": bool((entry.detail or {}).get("preview")),
            }
        )
    return viewings


def _request_facts(photo: Photo) -> dict | None:
    response = photo.response
    if response is None:
        return None
    photo_request = response.photo_request
    return {
        "id": str(photo_request.id),
        "kind": photo_request.template.name,
        "asked_at": photo_request.created_at,
        "asked_by": _person(photo_request.requested_by),
        "what_the_patient_was_told": photo_request.reason,
        "note_to_patient": photo_request.note_to_patient,
        "answered_at": response.created_at,
        "patients_note": response.text,
        "review": _review_facts(response),
    }


def _review_facts(response) -> dict | None:
    """The clinical review of the submission: its outcome and who gave it, or that it waits.
    None for photos filed before reviews began."""
    review = getattr(getattr(response, "filing", None), "review", None)
    if review is None:
        return None
    if not review.is_done:
        return {"outcome": None, "outcome_words": "Waiting for review"}
    return {
        "outcome": review.outcome,
        "outcome_words": review.get_outcome_display(),
        "reviewed_by": _person(review.reviewed_by),
        "reviewed_at": review.reviewed_at,
        "note_for_colleagues": review.outcome_note,
    }


def _site(code: str) -> dict:
    site = body_sites.get(code) if code else None
    if site is None:
        return {
            "code": code,
            "label": code or "Not recorded",
            "display": "",
            "system": body_sites.SNOMED_CT_SYSTEM,
        }
    return {"code": site.code, "label": site.label, "display": site.display, "system": site.system}


def _file_name(photo: Photo, number: int, site_label: str) -> str:
    day = timezone.localtime(photo.created_at).date().isoformat()
    site = slugify(site_label) or "unknown-site"
    label = slugify(photo.get_label_display()) or "photo"
    extension = EXTENSIONS.get(photo.content_type, "bin")
    return f"photos/{day}_{site}_{label}_{number}.{extension}"


def _zip_info(name: str, moment: datetime, compress: int) -> zipfile.ZipInfo:
    local = timezone.localtime(moment)
    info = zipfile.ZipInfo(name, date_time=local.timetuple()[:6])
    info.compress_type = compress
    info.external_attr = 0o600 << 16  # readable by whoever unzips it, no one else
    return info


def write_export(
    output, patient: Patient, *, exported_by: User | None, via: str = "command"
) -> ExportSummary:
    """Write the patient's zip into the binary file `output`, one photo at a time."""
    now = timezone.now()
    photos = _filed_photos(patient)
    viewings = _viewings_by_photo(photos)
    filings = {
        filing.response_id: filing
        for filing in Filing.objects.filter(
            response_id__in={p.response_id for p in photos if p.response_id}
        ).select_related("filed_by")
    }
    entries: list[dict] = []
    files = removed = unreadable = 0
    with zipfile.ZipFile(output, "w", allowZip64=True) as archive:
        for number, photo in enumerate(photos, start=1):
            site = _site(photo.body_site_code)
            filing = filings.get(photo.response_id)
            entry = {
                "number": number,
                "id": str(photo.id),
                "status": "filed",
                "file": None,
                "sha256": None,
                "size": None,
                "content_type": photo.content_type,
                "width": photo.width,
                "height": photo.height,
                "sent_at": photo.created_at,
                "body_site": site,
                "condition": photo.condition,
                "label": {"code": photo.label, "text": photo.get_label_display()},
                "request": _request_facts(photo),
                "filed": (
                    {"at": filing.filed_at, "by": _person(filing.filed_by), "reason": filing.reason}
                    if filing is not None
                    else None
                ),
                "entered_in_error": (
                    {"at": photo.entered_in_error_at, "by": _person(photo.entered_in_error_by)}
                    if photo.entered_in_error_at is not None
                    else None
                ),
                "removed": None,
                "unreadable_reason": "",
                "viewed_by": viewings[str(photo.id)],
            }
            if photo.entered_in_error_at is not None:
                entry["status"] = "entered_in_error"
            if photo.removed_at is not None:
                entry["status"] = "removed"
                entry["removed"] = {
                    "at": photo.removed_at,
                    "by": _person(photo.removed_by),
                    "reason": photo.removal_reason,
                }
                removed += 1
                entries.append(entry)
                continue
            try:
                data = storage.read_photo(photo)
            except (storage.PhotoIntegrityError, crypto.Unreadable):
                # read_photo has logged an alert; the index says this photo is missing and why.
                entry["status"] = "unreadable"
                entry["unreadable_reason"] = (
                    "The stored copy of this photo failed the service's check, so it was not "
                    "included. The practice has been alerted."
                )
                unreadable += 1
                entries.append(entry)
                continue
            name = _file_name(photo, number, site["label"])
            archive.writestr(_zip_info(name, photo.created_at, zipfile.ZIP_STORED), data)
            entry.update(file=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
            del data
            files += 1
            entries.append(entry)

        index = {
            "format": FORMAT,
            "exported_at": now,
            "exported_by": _person(exported_by) if exported_by is not None else None,
            "exported_via": via,
            "practice": {"name": patient.practice.name, "ods_code": patient.practice.ods_code},
            "patient": {
                "nhs_number": patient.nhs_number,
                "given_name": patient.given_name,
                "family_name": patient.family_name,
                "date_of_birth": patient.date_of_birth.isoformat(),
            },
            "photos": entries,
        }
        archive.writestr(
            _zip_info("index.json", now, zipfile.ZIP_DEFLATED),
            json.dumps(index, indent=2, default=_json_default, ensure_ascii=False),
        )
        archive.writestr(
            _zip_info("index.html", now, zipfile.ZIP_DEFLATED),
            render_to_string("records/subject_access/index.jinja", _html_context(index, patient)),
        )
    return ExportSummary(
        photos=len(photos),
        files=files,
        removed=removed,
        unreadable=unreadable,
        viewings=sum(len(v) for v in viewings.values()),
    )


def _json_default(value):
    if isinstance(value, datetime):
        return _iso(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _html_context(index: dict, patient: Patient) -> dict:
    return {
        "index": index,
        "patient": patient,
        "exported_at": datetime_long(index["exported_at"]),
        "date_of_birth": date_long(patient.date_of_birth),
        "when": datetime_long,
        "day": date_long,
    }


# Making an export ------------------------------------------------------------------------


def _record_export(patient: Patient, summary: ExportSummary, *, by: User | None, via: str):
    record(
        Action.RECORD_EXPORTED,
        user=by,
        practice=patient.practice,
        target=patient,
        detail={
            "via": via,
            "photos": summary.photos,
            "files": summary.files,
            "removed": summary.removed,
            "unreadable": summary.unreadable,
        },
    )


def export_to_path(patient: Patient, destination: Path | str) -> ExportSummary:
    """The command's export: written beside `destination`, then renamed into place.

    Refuses to replace a file that is already there (it may be another patient's export).
    """
    destination = Path(destination)
    folder = destination.parent if str(destination.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist.")
    if destination.exists():
        raise ExportError(f"{destination} already exists. Choose another name.")
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".partial", dir=folder
    )
    try:
        with os.fdopen(descriptor, "w+b") as output:
            summary = write_export(output, patient, exported_by=None)
            output.flush()
            os.fsync(output.fileno())
        with transaction.atomic():
            _record_export(patient, summary, by=None, via="command")
            if destination.exists():
                raise ExportError(f"{destination} already exists. Choose another name.")
            # Inside the transaction: if the rename fails, no export is recorded.
            os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return summary


def export_for_download(patient: Patient, *, by: User):
    """The practice manager's export: an open temporary file (deleted when closed) at its start.

    Returns (file, summary). Only practice managers of the patient's practice may export.
    """
    require(by, Permission.EXPORT_RECORD, of=patient)
    # Handed to the response, which closes (and so deletes) it when the download ends.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        summary = write_export(output, patient, exported_by=by, via="web")
        output.seek(0)
        with transaction.atomic():
            _record_export(patient, summary, by=by, via="web")
    except BaseException:
        output.close()
        raise
    return output, summary


def download_name(patient: Patient) -> str:
    return f"photos-subject-access-{patient.nhs_number}-{timezone.localdate().isoformat()}.zip"


def export_overview(patient: Patient) -> dict:
    """What the export page tells the manager before they make it."""
    photos = patient.photos.filter(practice_id=patient.practice_id)
    return {
        "photos": photos.count(),
        "removed": photos.filter(removed_at__isnull=False).count(),
        "entered_in_error": photos.filter(
            entered_in_error_at__isnull=False, removed_at__isnull=True
        ).count(),
    }
