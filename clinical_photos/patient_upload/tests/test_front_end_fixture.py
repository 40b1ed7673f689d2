"""The choose-photos form that the photo-upload component's unit tests start on is this one."""

import pytest
from django.urls import reverse

from clinical_photos.core.tests.front_end_fixtures import check_fixture
from clinical_photos.core.tests.page_checks import check_page

pytestmark = pytest.mark.django_db


def test_the_component_tests_start_on_the_form_as_the_service_draws_it(patient_client):
    response = patient_client.get(reverse("patient_upload:choose_photos"))
    check_page(response)
    check_fixture(response, "app-photo-upload", "photo-upload.html")
