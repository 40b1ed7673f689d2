"""Helpers for the inbox and filing tests: patients, requests and answers made the way the
service makes them (photo_requests.services and patient_upload.services), never by hand."""

import html
import io
import re
from datetime import date

from PIL import Image

from clinical_photos.patient_upload import services as upload_services
from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photo_requests.models import PhotoRequest

HAND = "85562004"
FOREARM = "14975008"


def jpeg(colour=(200, 120, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def make_patient(practice, *, nhs_number="9434765919", given_name="Ada", **fields) -> Patient:
    return Patient.objects.create(
        practice=practice,
        nhs_number=nhs_number,
        given_name=given_name,
        family_name=fields.pop("family_name", "Lovelace"),
        date_of_birth=fields.pop("date_of_birth", date(1984, 3, 7)),
        mobile=fields.pop("mobile", "+447700900123"),
        **fields,
    )


def make_request(by, patient, *, sites=(HAND,)) -> PhotoRequest:
    return request_services.create_request(
        by=by,
        patient=patient,
        template=by.practice.request_templates.get(name="Rash"),
        body_site_codes=list(sites),
    )


def send_photos(photo_request, labels=("where", "close_up"), note="") -> PatientResponse:
    link = photo_request.current_link
    _, problems = upload_services.add_photos(
        link,
        [(jpeg((40 * i, 100, 90)), f"photo{i}.jpg", label) for i, label in enumerate(labels)],
    )
    assert not problems, problems
    if note:
        upload_services.save_note(link, note)
    return upload_services.send_photos(link)


def decline(photo_request, reason="") -> PatientResponse:
    return upload_services.decline(photo_request.current_link, reason)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def flash_messages(response) -> list[str]:
    """The texts of the notification banners on a page."""
    content = page_text(response)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", m).split())
        for m in re.findall(
            r'<div class="nhsuk-notification-banner__content">(.*?)</div>', content, re.S
        )
    ]
