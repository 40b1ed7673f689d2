import io
import random
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFilter

from clinical_photos.messaging.models import TextMessage
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import services as request_services

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


@pytest.fixture
def patient_client(token) -> Client:
    """A patient who has opened their link and given the right date of birth."""
    client = Client()
    response = client.post(reverse("patient_upload:open_link", args=[token]), dob_form())
    assert response.status_code == 302
    return client


# Photos the quality checks have something to say about, made here so the tests need no files:
# a detailed, sharp scene (shapes, lines and a fine noise texture, like skin), the same scene
# out of focus, and the same scene in a dim room.


def _scene(width=1600, height=1200, seed=5) -> Image.Image:
    rng = random.Random(seed)  # noqa: S311 (a test picture, not security)
    image = Image.new("RGB", (width, height), (190, 150, 130))
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        x, y = rng.randrange(width), rng.randrange(height)
        box = [x, y, x + rng.randrange(20, 300), y + rng.randrange(20, 300)]
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=colour)
    for _ in range(400):
        ends = [
            rng.randrange(width),
            rng.randrange(height),
            rng.randrange(width),
            rng.randrange(height),
        ]
        draw.line(ends, fill=tuple(rng.randrange(256) for _ in range(3)), width=rng.randrange(1, 4))
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    return Image.blend(image, noise, 0.15)


def _as_jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def sharp_photo(seed=5) -> bytes:
    return _as_jpeg(_scene(seed=seed))


def blurry_photo(seed=5) -> bytes:
    return _as_jpeg(_scene(seed=seed).filter(ImageFilter.GaussianBlur(12)))


def dark_photo(seed=5) -> bytes:
    return _as_jpeg(Image.eval(_scene(seed=seed), lambda value: value * 6 // 100))
