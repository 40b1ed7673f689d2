"""Fixtures for the record's tests: a patient with photos filed into their record.

Filing is set directly on the rows here (the filing screens have tests of their own), after the
photos went through the patient's real journey: a request, the photos added, then sent.
"""

import io
from datetime import date, datetime

import pytest
from django.utils import timezone
from PIL import Image

from clinical_photos.patient_upload import services as upload_services
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photos.models import Photo
from clinical_photos.records.models import Filing

FOREARM = "14975008"
HAND = "85562004"
KNEE = "72696002"


def jpeg(colour=(200, 120, 90), width=800, height=600) -> bytes:
    """A photo with some detail in it (a plain block of colour is not much of a photo)."""
    image = Image.new("RGB", (width, height), colour)
    for x in range(0, width, 40):
        image.paste((colour[0] // 2, colour[1], 255 - colour[2]), (x, 0, x + 12, height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def make_patient(practice, nhs_number="9434765919", given_name="Ada") -> Patient:
    return Patient.objects.create(
        practice=practice,
        nhs_number=nhs_number,
        given_name=given_name,
        family_name="Lovelace",
        date_of_birth=date(1984, 3, 7),
        mobile="+447700900123",
    )


def file_submission(
    *,
    by,
    patient,
    body_site=FOREARM,
    photos=(("where", (200, 120, 90)),),
    sent_on: datetime | None = None,
    condition: str = "",
) -> list[Photo]:
    """A request answered with `photos` (label, colour) and filed into the patient's record."""
    photo_request = request_services.create_request(
        by=by,
        patient=patient,
        template=patient.practice.request_templates.get(name="Rash"),
        body_site_codes=[body_site],
    )
    link = photo_request.links.get()
    _stored, problems = upload_services.add_photos(
        link, [(jpeg(colour), f"photo{i}.jpg", label) for i, (label, colour) in enumerate(photos)]
    )
    assert not problems, problems
    response = upload_services.send_photos(link)
    if sent_on is not None:
        type(response).objects.filter(pk=response.pk).update(created_at=sent_on)
    Filing.objects.create(
        practice=patient.practice, response=response, patient=patient, filed_by=by
    )
    Photo.objects.filter(response=response).update(
        patient=patient, body_site_code=body_site, condition=condition
    )
    return list(Photo.objects.filter(response=response).order_by("position"))


def on(year, month, day) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 10, 30))


@pytest.fixture
def patient(practice):
    return make_patient(practice)


@pytest.fixture
def filed(clinician, patient):
    """Two visits of the forearm (3 March and 17 March 2026), a where-it-is and a close-up each."""
    first = file_submission(
        by=clinician,
        patient=patient,
        photos=[("where", (200, 120, 90)), ("close_up", (180, 100, 80))],
        sent_on=on(2026, 3, 3),
    )
    second = file_submission(
        by=clinician,
        patient=patient,
        photos=[("where", (150, 90, 70)), ("close_up", (120, 60, 50))],
        sent_on=on(2026, 3, 17),
    )
    return first + second


@pytest.fixture
def photo(filed):
    return filed[1]
