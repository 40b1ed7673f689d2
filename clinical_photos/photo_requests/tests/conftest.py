"""Fixtures for the photo request tests: patients, requests made through the service, and
readers for the text a patient was sent and a page's error summary."""

import html
import re
from datetime import date

import pytest
from django.conf import settings

from clinical_photos.core.tests.page_checks import check_page
from clinical_photos.messaging.models import TextMessage
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import services
from clinical_photos.photo_requests.models import PhotoRequest

HAND = "85562004"
FOREARM = "14975008"
# A SNOMED CT body structure for the breast: never offered, so never accepted.
BREAST_STRUCTURE = "76752008"


def make_patient(practice, *, nhs_number="9434765919", **fields) -> Patient:
    return Patient.objects.create(
        practice=practice,
        nhs_number=nhs_number,
        given_name=fields.pop("given_name", "Amelia"),
        family_name=fields.pop("family_name", "Okonkwo-Hartley"),
        date_of_birth=fields.pop("date_of_birth", date(1984, 3, 7)),
        mobile=fields.pop("mobile", "+447700900123"),
        **fields,
    )


@pytest.fixture
def patient(practice) -> Patient:
    return make_patient(practice)


@pytest.fixture
def other_patient(other_practice) -> Patient:
    return make_patient(
        other_practice, nhs_number="4010232137", given_name="Zara", mobile="+447700900999"
    )


def make_request(by, patient, *, template_name="Rash", sites=(HAND,), note="") -> PhotoRequest:
    return services.create_request(
        by=by,
        patient=patient,
        template=by.practice.request_templates.get(name=template_name),
        body_site_codes=list(sites),
        note_to_patient=note,
    )


@pytest.fixture
def photo_request(clinician, patient) -> PhotoRequest:
    return make_request(clinician, patient)


@pytest.fixture
def other_practice_request(other_clinician, other_patient) -> PhotoRequest:
    return make_request(other_clinician, other_patient)


LINK = re.compile(re.escape(settings.SERVICE_BASE_URL) + r"/p/([A-Za-z0-9_-]+)")


def texts_for(photo_request) -> list[TextMessage]:
    return list(TextMessage.objects.filter(photo_request=photo_request).order_by("created_at"))


def token_in(message: TextMessage) -> str:
    """The token in the link of a text, as the patient reads it."""
    [token] = LINK.findall(message.body)
    return token


def error_summary(response) -> dict[str, str]:
    """The error summary's messages by the href each links to, after checking the page.

    Every link must point at an element on the page, or it takes the user nowhere.
    """
    page = check_page(response)
    content = response.content.decode()
    summary = re.search(r'nhsuk-error-summary__list">(.*?)</ul>', content, re.S)
    assert summary, "the page has no error summary"
    links = re.findall(r'<a href="#([^"]+)">\s*(.*?)\s*</a>', summary.group(1), re.S)
    for target, _ in links:
        assert page.ids[target] == 1, f"the error summary links to #{target}, not on the page"
    assert page.title.startswith("Error: ")
    return {f"#{target}": html.unescape(text) for target, text in links}


def page_text(response) -> str:
    """The page's text with entities decoded, for reading messages shown to the user."""
    return html.unescape(response.content.decode())
