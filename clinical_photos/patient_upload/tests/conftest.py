"""Fixtures for the patient's journey: a request with its link, and the patient's browser past
the date of birth."""

import pytest
from django.urls import reverse

from clinical_photos.core.tests.page_checks import PageClient
from clinical_photos.patients.tests.factories import dob_form
from clinical_photos.photo_requests.tests.factories import make_request, token_of


@pytest.fixture
def photo_request(clinician, patient):
    return make_request(clinician, patient, note="Please show the back of your hand too.")


@pytest.fixture
def token(photo_request) -> str:
    return token_of(photo_request)


def client_for(photo_request) -> PageClient:
    """A browser of its own that has opened the request's link and given the date of birth."""
    client = PageClient()
    response = client.post(
        reverse("patient_upload:open_link", args=[token_of(photo_request)]), dob_form()
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def patient_client(photo_request) -> PageClient:
    """A patient who has opened their link and given the right date of birth."""
    return client_for(photo_request)
