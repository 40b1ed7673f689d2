"""Comparing two photos of the same site: side by side, one over the other when taken alike."""

import pytest
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import check_page

from . import test_timeline_support as support
from .test_timeline_support import KNEE, file_submission, make_patient, on

patient, filed = support.patient, support.filed

pytestmark = pytest.mark.django_db


def compare(client, patient, **query):
    return client.get(reverse("record:compare", args=[patient.id]), query)


def image(photo):
    return reverse("record:photo_image", args=[photo.id])


def test_two_close_ups_side_by_side_and_one_over_the_other(clinician_client, patient, filed):
    response = compare(clinician_client, patient, a=filed[3].id, b=filed[1].id)
    assert response.status_code == 200
    check_page(response)
    page = response.content.decode()
    # The earlier photo comes first, whichever order they were chosen in.
    assert page.index(f'src="{image(filed[1])}"') < page.index(f'src="{image(filed[3])}"')
    assert 'alt="Earlier photo: Close-up of the forearm, 3 March 2026"' in page
    assert 'alt="Later photo: Close-up of the forearm, 17 March 2026"' in page
    assert "data-compare-slider" in page
    assert 'data-module="app-compare"' in page  # main.mjs starts the compare component here
    # Without JavaScript the form still chooses the two photos.
    assert '<form method="get"' in page and 'name="a"' in page and 'name="b"' in page
    [entry] = AuditEntry.objects.filter(action=Action.PHOTOS_COMPARED)
    assert entry.object_id == str(patient.id)
    assert entry.detail == {"photos": [str(filed[1].id), str(filed[3].id)]}


def test_photos_taken_differently_are_not_laid_over_each_other(clinician_client, patient, filed):
    page = compare(clinician_client, patient, a=filed[0].id, b=filed[3].id).content.decode()
    assert "data-compare-slider" not in page
    assert "not laid one over the other" in page


def test_with_nothing_chosen_the_first_and_latest_alike_are_compared(
    clinician_client, patient, filed
):
    response = compare(clinician_client, patient)
    check_page(response)
    page = response.content.decode()
    assert f'src="{image(filed[1])}"' in page and f'src="{image(filed[3])}"' in page
    assert AuditEntry.objects.filter(action=Action.PHOTOS_COMPARED).count() == 1


def test_photos_of_different_sites_get_a_clear_message(clinician_client, clinician, patient, filed):
    knee = file_submission(by=clinician, patient=patient, body_site=KNEE, sent_on=on(2026, 4, 1))
    response = compare(clinician_client, patient, a=filed[1].id, b=knee[0].id)
    assert response.status_code == 200
    check_page(response)
    page = response.content.decode()
    assert "different parts of the body" in page
    assert "Error: Compare photos" in page
    assert "<img" not in page
    assert not AuditEntry.objects.filter(action=Action.PHOTOS_COMPARED).exists()


def test_another_patient_s_photo_or_a_forged_id_is_refused_with_a_message(
    clinician_client, clinician, practice, patient, filed
):
    someone_else = make_patient(practice, nhs_number="9999999999", given_name="Grace")
    theirs = file_submission(by=clinician, patient=someone_else)
    for b in (theirs[0].id, "not-a-photo", "00000000-0000-4000-8000-000000000000"):
        response = compare(clinician_client, patient, a=filed[1].id, b=b)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Choose two photos of this patient" in page
        assert "<img" not in page
    assert not AuditEntry.objects.filter(action=Action.PHOTOS_COMPARED).exists()


def test_the_same_photo_twice_is_refused(clinician_client, patient, filed):
    page = compare(clinician_client, patient, a=filed[1].id, b=filed[1].id).content.decode()
    assert "Choose two different photos" in page


def test_a_patient_with_one_photo_is_told_what_is_needed(clinician_client, clinician, patient):
    file_submission(by=clinician, patient=patient)
    response = compare(clinician_client, patient)
    check_page(response)
    assert "needs at least two photos" in response.content.decode()


@pytest.mark.parametrize("who", ["admin_team_client", "manager_client"])
def test_admins_and_managers_cannot_compare(request, who, patient, filed):
    response = compare(request.getfixturevalue(who), patient, a=filed[1].id, b=filed[3].id)
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=Action.PHOTOS_COMPARED).exists()


def test_another_practice_gets_404(other_clinician_client, patient, filed):
    assert compare(other_clinician_client, patient).status_code == 404
