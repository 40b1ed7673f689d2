"""Fixtures for the messaging tests: a patient, a photo request, its text, and a Notify stub."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone

from clinical_photos.messaging import services
from clinical_photos.messaging.models import TextMessage
from clinical_photos.messaging.text import photo_request_text
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests.models import PatientLink, PhotoRequest

from .notify_stub import NotifyStub

MOBILE = "+447700900123"


def make_patient(practice, *, nhs_number="9434765919", mobile=MOBILE, **fields) -> Patient:
    return Patient.objects.create(
        practice=practice,
        nhs_number=nhs_number,
        given_name=fields.pop("given_name", "Amelia"),
        family_name=fields.pop("family_name", "Okonkwo-Hartley"),
        date_of_birth=fields.pop("date_of_birth", date(1984, 3, 7)),
        mobile=mobile,
        **fields,
    )


def make_photo_request(practice, patient, requested_by) -> PhotoRequest:
    template = practice.request_templates.first()
    return PhotoRequest.objects.create(
        practice=practice,
        patient=patient,
        requested_by=requested_by,
        template=template,
        reason=template.patient_message,
        body_site_codes=[],
    )


@dataclass
class SentText:
    message: TextMessage
    body: str
    token: str
    link_url: str
    expires_at: datetime

    def refreshed(self) -> TextMessage:
        self.message.refresh_from_db()
        return self.message


def text_patient(photo_request, *, to: str | None = None) -> SentText:
    """What the photo request service does: a new link and its text, in one transaction."""
    token = secrets.token_urlsafe(16)
    expires_at = timezone.now() + timedelta(days=photo_request.practice.link_lifetime_days)
    link_url = f"{django_settings.SERVICE_BASE_URL}/p/{token}"
    with transaction.atomic():
        # A new link replaces the one before it, as sending a request again does.
        photo_request.links.current().update(replaced_at=timezone.now())
        PatientLink.objects.create(
            photo_request=photo_request,
            token_sha256=PatientLink.hash_token(token),
            expires_at=expires_at,
        )
        body = photo_request_text(
            practice_name=photo_request.practice.name, link_url=link_url, expires_at=expires_at
        )
        message = services.queue_text(
            photo_request=photo_request, to=to or photo_request.patient.mobile, body=body
        )
    return SentText(
        message=message, body=body, token=token, link_url=link_url, expires_at=expires_at
    )


@pytest.fixture
def patient(practice) -> Patient:
    return make_patient(practice)


@pytest.fixture
def photo_request(practice, patient, clinician) -> PhotoRequest:
    return make_photo_request(practice, patient, clinician)


@pytest.fixture
def other_practice_request(other_practice, other_clinician) -> PhotoRequest:
    patient = make_patient(other_practice, nhs_number="4010232137", mobile="+447700900999")
    return make_photo_request(other_practice, patient, other_clinician)


@pytest.fixture
def notify_stub():
    stub = NotifyStub().start()
    yield stub
    stub.stop()


@pytest.fixture
def notify(settings, notify_stub) -> NotifyStub:
    """The service set to send through GOV.UK Notify, here the local stub."""
    settings.SMS_BACKEND = "notify"
    settings.NOTIFY_API_KEY = notify_stub.api_key
    settings.NOTIFY_SMS_TEMPLATE_ID = notify_stub.template_id
    settings.NOTIFY_BASE_URL = notify_stub.url
    return notify_stub


@pytest.fixture
def queue_without_running(settings):
    """Tasks are kept, not run, and run_after is honoured: Django's dummy backend."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    yield default_task_backend
    default_task_backend.clear()
