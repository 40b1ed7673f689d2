"""No token, NHS number, date of birth or phone number reaches a log line.

The whole staff journey runs with every logger at DEBUG, including Django's request logging
of refused and failed requests, and every line is searched for the patient's details.
"""

import logging

import pytest
from django.urls import reverse

from clinical_photos.core.logging import RedactPersonalDataFilter, redact
from clinical_photos.messaging.models import TextMessage
from clinical_photos.photo_requests.tests.factories import token_in
from conftest import logged_in_client

PATIENT = {
    "nhs_number": "943 476 5919",
    "given_name": "Ada",
    "family_name": "Lovelace",
    "date_of_birth_0": "7",
    "date_of_birth_1": "3",
    "date_of_birth_2": "1984",
    "mobile": "07700 900123",
}
SECRETS = [
    "9434765919",
    "943 476 5919",
    "1984-03-07",
    "07/03/1984",
    "07700900123",
    "+447700900123",
    "07700 900123",
    "7700900123",
]


@pytest.fixture
def every_log_line(caplog):
    caplog.set_level(logging.DEBUG)
    # What the service's handlers would write: the records after the redacting filter.
    redactor = RedactPersonalDataFilter()
    yield lambda: [(redactor.filter(record), record.getMessage())[1] for record in caplog.records]


def test_the_staff_journey_logs_nothing_personal(clinician, every_log_line):
    client = logged_in_client(clinician)
    response = client.post(reverse("patients:add"), PATIENT)
    patient_url = response["Location"]
    client.get(reverse("patients:search"), {"q": "943 476 5919"})
    client.get(patient_url)
    patient_id = patient_url.rstrip("/").split("/")[-1]
    template = clinician.practice.request_templates.get(name="Rash")
    response = client.post(
        reverse("photo_requests:new", args=[patient_id]),
        {"template": str(template.id), "body_sites": ["85562004"]},
    )
    request_url = response["Location"]
    client.get(request_url)
    client.post(request_url + "send-again/")
    client.get(reverse("messaging:outbox"))
    # A refused request: Django logs its path, so one with a token in it is tried too.
    tokens = [token_in(text) for text in TextMessage.objects.all()]
    for token in tokens:
        client.get(f"/p/{token}")
    client.get("/patients/00000000-0000-0000-0000-000000000000/")

    lines = every_log_line()
    assert lines, "the journey should have logged something"
    for line in lines:
        for secret in [*SECRETS, *tokens]:
            assert secret not in line, f"{secret!r} reached the log: {line!r}"


@pytest.mark.parametrize(
    "text",
    [
        "GET /p/Xk3v_9aQm2LzR8tYp0WcN4bE HTTP/1.1",
        "Not Found: /v/Xk3v_9aQm2LzR8tYp0WcN4bE",
        "patient 943 476 5919 added",
        "number +447700900123",
        "number 07700 900123",
        "born 1984-03-07",
        "born 07/03/1984",
    ],
)
def test_the_filter_redacts_what_slips_through(text):
    for secret in [*SECRETS, "Xk3v_9aQm2LzR8tYp0WcN4bE"]:
        assert secret not in redact(text)


def test_the_filter_keeps_record_ids_so_an_alert_can_name_its_photo():
    line = "Photo 2f1c6e0a-1b2c-4d3e-8f90-a1b2c3d4e5f6 failed its integrity check"
    assert redact(line) == line
