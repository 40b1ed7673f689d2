"""A patient's page: their details, who may ask for photos, and a record of each view."""

import pytest
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import Link


def detail_url(patient) -> str:
    return reverse("patients:detail", args=[patient.id])


def test_the_page_shows_the_patients_details(clinician_client, patient):
    response = clinician_client.get(detail_url(patient))

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Amelia Okonkwo-Hartley"
    content = page.text
    assert "943 476 5919" in content
    assert "7 March 1984" in content
    assert "07700 900123" in content
    # A member of staff on a phone can call the patient from the page.
    assert Link("07700 900123", "tel:+447700900123") in page.links("main")
    assert "No photos have been asked for yet." in content


def test_each_view_writes_exactly_one_audit_entry(clinician_client, clinician, patient):
    clinician_client.get(detail_url(patient))
    entries = AuditEntry.objects.filter(action=Action.PATIENT_VIEWED)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user == clinician
    assert (entry.object_type, entry.object_id) == ("patient", str(patient.id))

    clinician_client.get(detail_url(patient))
    assert entries.count() == 2


def test_another_practices_clinician_gets_not_found(other_clinician_client, patient):
    response = other_clinician_client.get(detail_url(patient))

    assert response.status_code == 404
    content = response.page.source
    assert "Okonkwo" not in content and "943 476 5919" not in content
    assert not AuditEntry.objects.filter(action=Action.PATIENT_VIEWED).exists()


@pytest.mark.parametrize("client_fixture", ["clinician_client", "admin_team_client"])
def test_staff_who_may_ask_for_photos_see_the_button(request, client_fixture, patient):
    client = request.getfixturevalue(client_fixture)

    response = client.get(detail_url(patient))

    page = response.page
    assert "Ask for photos" in page.text
    assert reverse("photo_requests:new", args=[patient.id]) in page.hrefs("main")


def test_the_practice_manager_does_not_see_ask_for_photos(manager_client, patient):
    response = manager_client.get(detail_url(patient))

    assert response.status_code == 200
    page = response.page
    assert "943 476 5919" in page.text
    assert "Ask for photos" not in page.source
    assert reverse("photo_requests:new", args=[patient.id]) not in page.source


def test_logged_out_visitors_are_sent_to_log_in(client, patient):
    response = client.get(detail_url(patient))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not AuditEntry.objects.filter(action=Action.PATIENT_VIEWED).exists()
