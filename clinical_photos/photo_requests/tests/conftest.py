"""Fixtures for the photo request tests: requests made through the service, at this practice
and at another."""

import pytest

from clinical_photos.patients.models import Patient
from clinical_photos.patients.tests.factories import PatientFactory
from clinical_photos.photo_requests.models import PhotoRequest

from .factories import make_request


@pytest.fixture
def other_patient(other_practice) -> Patient:
    return PatientFactory(
        practice=other_practice, nhs_number="4010232137", given_name="Zara", mobile="+447700900999"
    )


@pytest.fixture
def photo_request(clinician, patient) -> PhotoRequest:
    return make_request(clinician, patient)


@pytest.fixture
def other_practice_request(other_clinician, other_patient) -> PhotoRequest:
    return make_request(other_clinician, other_patient)
