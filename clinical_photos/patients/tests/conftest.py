"""Fixtures for the patient tests: a patient whose double-barrelled name the search must find
by either half."""

import pytest

from clinical_photos.patients.models import Patient
from clinical_photos.patients.tests.factories import MOBILE, NHS_NUMBER, PatientFactory


@pytest.fixture
def patient(practice) -> Patient:
    return PatientFactory(
        practice=practice,
        nhs_number=NHS_NUMBER,
        given_name="Amelia",
        family_name="Okonkwo-Hartley",
        mobile=MOBILE,
    )
