"""Each kind of link has a session of its own: proving a date of birth for one never opens the
pages of the other, even for the same patient in the same browser."""

import pytest
from django.test import Client
from django.urls import reverse

from clinical_photos.patient_upload.journey import UPLOAD
from clinical_photos.photo_requests import services as request_services
from clinical_photos.records.patient_view import services as view_services
from clinical_photos.records.patient_view.journey import VIEW
from clinical_photos.records.subject_access.tests.test_export_support import (
    HAND,
    dob_form,
    file_photos,
    make_patient,
    view_token_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(practice, clinician):
    patient = make_patient(practice)
    file_photos(by=clinician, patient=patient)
    return patient


def test_an_upload_session_does_not_open_the_patients_own_view(client, patient, clinician):
    photo_request = request_services.create_request(
        by=clinician,
        patient=patient,
        template=patient.practice.request_templates.get(name="Rash"),
        body_site_codes=[HAND],
    )
    from clinical_photos.patient_upload.tests.conftest import token_of

    client.post(reverse("patient_upload:open_link", args=[token_of(photo_request)]), dob_form())
    assert client.get(reverse("patient_upload:agreement")).status_code == 200

    response = client.get(reverse("patient_view:photos"))

    assert response.status_code == 403
    assert "Open the link in your text" in response.content.decode()


def test_a_view_session_does_not_open_the_upload_pages(patient, clinician):
    view_services.send_view_link(by=clinician, patient=patient, body_site_code=HAND)
    client = Client()
    client.post(reverse("patient_view:open_link", args=[view_token_of(patient)]), dob_form())
    assert client.get(reverse("patient_view:photos")).status_code == 200

    assert client.get(reverse("patient_upload:agreement")).status_code == 403


def test_one_kinds_cookie_copied_into_the_others_name_is_not_honoured(patient, clinician):
    view_services.send_view_link(by=clinician, patient=patient, body_site_code=HAND)
    client = Client()
    client.post(reverse("patient_view:open_link", args=[view_token_of(patient)]), dob_form())
    # Signed with the view's salt: the upload's session refuses it under its own name.
    client.cookies[UPLOAD.session.cookie_name] = client.cookies[VIEW.session.cookie_name].value

    assert client.get(reverse("patient_upload:agreement")).status_code == 403
