"""Each kind of link has a session of its own: proving a date of birth for one never opens the
pages of the other, even for the same patient in the same browser."""

import pytest
from django.urls import reverse

from clinical_photos.patient_upload.journey import UPLOAD
from clinical_photos.patient_upload.tests.conftest import client_for
from clinical_photos.photo_requests.tests.factories import make_request
from clinical_photos.records.patient_view.journey import VIEW
from clinical_photos.records.patient_view.tests.conftest import viewer_for
from clinical_photos.records.tests.factories import file_photos, send_view_link

pytestmark = pytest.mark.django_db

AGREEMENT = reverse("patient_upload:agreement")
OWN_PHOTOS = reverse("patient_view:photos")


@pytest.fixture(autouse=True)
def photos_in_the_record(clinician, patient):
    """Ada has photos of her hand filed, so a view session would have a page to show."""
    return file_photos(by=clinician, patient=patient)


@pytest.fixture
def view_client(clinician, patient):
    """Ada's browser, past her date of birth on the link to see her photos."""
    client = viewer_for(send_view_link(by=clinician, patient=patient))
    assert client.get(OWN_PHOTOS).status_code == 200
    return client


def test_an_upload_session_does_not_open_the_patients_own_view(clinician, patient):
    client = client_for(make_request(clinician, patient))
    assert client.get(AGREEMENT).status_code == 200

    response = client.get(OWN_PHOTOS)

    assert response.status_code == 403
    assert response.page.h1 == "Open the link in your text"


def test_a_view_session_does_not_open_the_upload_pages(view_client):
    response = view_client.get(AGREEMENT)

    assert response.status_code == 403
    assert response.page.h1 == "Open the link in your text"


def test_one_kinds_cookie_copied_into_the_others_name_is_not_honoured(view_client):
    # Signed with the view's salt: the upload's session refuses it under its own name.
    view_client.cookies[UPLOAD.session.cookie_name] = view_client.cookies[
        VIEW.session.cookie_name
    ].value

    response = view_client.get(AGREEMENT)

    assert response.status_code == 403
    assert response.page.h1 == "Your session has ended"
