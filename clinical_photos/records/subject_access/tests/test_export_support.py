"""The names the patient-view tests import from here, now made by each app's factories.

clinical_photos/records/patient_view/tests/test_patient_view.py is being rewritten with the
patient's link; until then it imports these from here. New tests import the factories.
"""

from clinical_photos.patients.tests.factories import DATE_OF_BIRTH, PatientFactory, dob_form
from clinical_photos.photo_requests.tests.factories import HAND, KNEE
from clinical_photos.records.tests.factories import file_photos, on, view_token_of

# The project's own URLs mount the export and the patient's view.
URLCONF = "clinical_photos.config.urls"

__all__ = [
    "DATE_OF_BIRTH",
    "HAND",
    "KNEE",
    "URLCONF",
    "dob_form",
    "file_photos",
    "make_patient",
    "on",
    "view_token_of",
]


def make_patient(practice, **fields):
    return PatientFactory(practice=practice, **fields)
