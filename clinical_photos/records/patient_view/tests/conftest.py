"""Fixtures for the patient's own view: photos of the hand and the knee in Ada's record, the
link a clinician texted her to see the hand, and her browser past the date of birth."""

import pytest
from django.urls import reverse

from clinical_photos.core.tests.page_checks import PageClient
from clinical_photos.patients.tests.factories import dob_form
from clinical_photos.photo_requests.tests.factories import KNEE
from clinical_photos.records.tests.factories import file_photos, on, send_view_link


def open_url(token: str) -> str:
    return reverse("patient_view:open_link", args=[token])


def viewer_for(token: str) -> PageClient:
    """A browser of its own that has opened a view link and given the right date of birth."""
    client = PageClient()
    response = client.post(open_url(token), dob_form())
    assert response.status_code == 302
    return client


@pytest.fixture
def hand_photos(patient, clinician):
    """One photo of the hand sent on 7 March 2025, then two on 1 May 2025."""
    older = file_photos(by=clinician, patient=patient, sent_on=on(2025, 3, 7), labels=("where",))
    newer = file_photos(
        by=clinician, patient=patient, sent_on=on(2025, 5, 1), labels=("close_up", "close_up")
    )
    return older + newer


@pytest.fixture
def knee_photo(patient, clinician):
    return file_photos(by=clinician, patient=patient, body_site=KNEE, labels=("where",))[0]


@pytest.fixture
def token(hand_photos, patient, clinician) -> str:
    """The token of the link Ada was texted to see her photos of the hand."""
    return send_view_link(by=clinician, patient=patient)


@pytest.fixture
def viewer(token) -> PageClient:
    """Ada, past her date of birth on the link to her hand photos."""
    return viewer_for(token)
