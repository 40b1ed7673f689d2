import io
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from clinical_photos.messaging.models import TextMessage
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photos.tests import quality_images

DATE_OF_BIRTH = date(1984, 3, 7)


def jpeg(width=640, height=480, colour=(200, 120, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def png(width=320, height=240) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def token_of(photo_request) -> str:
    body = TextMessage.objects.filter(photo_request=photo_request).latest("created_at").body
    return re.search(r"/p/([A-Za-z0-9_-]+)", body).group(1)


@pytest.fixture
def patient(practice):
    return Patient.objects.create(
        practice=practice,
        nhs_number="9434765919",
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=DATE_OF_BIRTH,
        mobile="+447700900123",
    )


@pytest.fixture
def photo_request(clinician, patient, practice):
    return request_services.create_request(
        by=clinician,
        patient=patient,
        template=practice.request_templates.get(name="Rash"),
        body_site_codes=["85562004"],
        note_to_patient="Please show the back of your hand too.",
    )


@pytest.fixture
def token(photo_request) -> str:
    return token_of(photo_request)


def dob_form(day=DATE_OF_BIRTH.day, month=DATE_OF_BIRTH.month, year=DATE_OF_BIRTH.year):
    return {
        "date_of_birth_0": str(day),
        "date_of_birth_1": str(month),
        "date_of_birth_2": str(year),
    }


def client_for(photo_request) -> Client:
    """A browser of its own that has opened the request's link and given the date of birth."""
    client = Client()
    response = client.post(
        reverse("patient_upload:open_link", args=[token_of(photo_request)]), dob_form()
    )
    assert response.status_code == 302
    return client


def another_request(clinician, patient):
    """A second request for the same patient, with a link of its own."""
    return request_services.create_request(
        by=clinician,
        patient=patient,
        template=clinician.practice.request_templates.get(name="Rash"),
        body_site_codes=["85562004"],
    )


@pytest.fixture
def patient_client(photo_request) -> Client:
    """A patient who has opened their link and given the right date of birth."""
    return client_for(photo_request)


# Photos the quality checks have something to say about, made in code so the tests need no
# files: a detailed, sharp scene, the same scene out of focus, and the same scene in a dim room.


def sharp_photo(seed=5) -> bytes:
    return quality_images.jpeg(quality_images.detailed(seed=seed))


def blurry_photo(seed=5) -> bytes:
    return quality_images.jpeg(quality_images.out_of_focus(quality_images.detailed(seed=seed), 12))


def dark_photo(seed=5) -> bytes:
    dim = quality_images.exposed(quality_images.detailed(seed=seed), -5, noise=0.002)
    return quality_images.jpeg(dim)
