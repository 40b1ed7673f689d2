"""Fixtures for the messaging tests: a photo request with no text yet, its text, and a Notify
stub."""

from dataclasses import dataclass
from datetime import datetime

import pytest
from django.db import transaction

from clinical_photos.audit.models import AuditEntry
from clinical_photos.messaging.models import TextMessage
from clinical_photos.messaging.text import photo_request_text
from clinical_photos.patient_links.services import replace_current
from clinical_photos.patients.tests.factories import PatientFactory
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photo_requests.models import PhotoRequest
from clinical_photos.photo_requests.tests.factories import PhotoRequestFactory

from .notify_stub import NotifyStub


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


def text_patient(photo_request) -> SentText:
    """What asking for photos (or asking again) does once the request is saved: a new link that
    replaces any before it, and its text, in one transaction, by the photo request service's
    own steps (which keep the token to themselves, so the test takes it from them)."""
    with transaction.atomic():
        replace_current(photo_request.links)
        link, token = request_services._issue_link(photo_request)
        request_services._send_link(photo_request, link, token)
    link_url = request_services.link_url(token)
    body = photo_request_text(
        practice_name=photo_request.practice.name, link_url=link_url, expires_at=link.expires_at
    )
    message = TextMessage.objects.filter(photo_request=photo_request).latest("created_at")
    return SentText(
        message=message, body=body, token=token, link_url=link_url, expires_at=link.expires_at
    )


def audit_actions(message) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="textmessage", object_id=str(message.id))
        .order_by("sequence")
        .values_list("action", flat=True)
    )


@pytest.fixture
def photo_request(patient, clinician) -> PhotoRequest:
    return PhotoRequestFactory(patient=patient, requested_by=clinician)


@pytest.fixture
def other_practice_request(other_practice, other_clinician) -> PhotoRequest:
    patient = PatientFactory(practice=other_practice, mobile="+447700900999")
    return PhotoRequestFactory(patient=patient, requested_by=other_clinician)


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
