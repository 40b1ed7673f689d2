"""Fixtures for the record's tests: a patient with photos filed into their record."""

import pytest

from clinical_photos.photo_requests.tests.factories import FOREARM
from clinical_photos.records.tests.factories import file_photos, on


@pytest.fixture
def filed(clinician, patient):
    """Two visits of the forearm (3 March and 17 March 2026), a where-it-is and a close-up each."""
    first = file_photos(by=clinician, patient=patient, body_site=FOREARM, sent_on=on(2026, 3, 3))
    second = file_photos(
        by=clinician,
        patient=patient,
        body_site=FOREARM,
        sent_on=on(2026, 3, 17),
        colour=(150, 90, 70),
    )
    return first + second


@pytest.fixture
def photo(filed):
    """The first close-up of the forearm."""
    return filed[1]
