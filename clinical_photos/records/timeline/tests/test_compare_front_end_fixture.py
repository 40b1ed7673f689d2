"""The compare page that the compare component's unit tests start on is this one."""

import pytest
from django.urls import reverse

from clinical_photos.core.tests.front_end_fixtures import check_fixture

pytestmark = pytest.mark.django_db


def test_the_component_tests_start_on_the_page_as_the_service_draws_it(
    clinician_client, patient, filed
):
    url = reverse("record:compare", args=[patient.id])
    # The role client checks the page as it fetches it.
    response = clinician_client.get(url, {"a": filed[1].id, "b": filed[3].id})
    check_fixture(response, "app-compare", "compare.html")
