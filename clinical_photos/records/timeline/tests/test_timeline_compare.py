"""Comparing two photos of the same site: side by side, one over the other when taken alike."""

import pytest
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.patients.tests.factories import PatientFactory
from clinical_photos.photo_requests.tests.factories import KNEE
from clinical_photos.records.tests.factories import file_photos, on

pytestmark = pytest.mark.django_db


def compare(client, patient, **query):
    return client.get(reverse("record:compare", args=[patient.id]), query)


def image(photo):
    return reverse("record:photo_image", args=[photo.id])


def side_by_side(page) -> list[str]:
    """The photos shown next to each other, in the order they are shown."""
    return [image.src for image in page.images("img.app-compare__image:not([loading])")]


def test_two_close_ups_side_by_side_and_one_over_the_other(clinician_client, patient, filed):
    response = compare(clinician_client, patient, a=filed[3].id, b=filed[1].id)
    assert response.status_code == 200
    page = response.page
    # The earlier photo comes first, whichever order they were chosen in.
    assert side_by_side(page) == [image(filed[1]), image(filed[3])]
    alts = [image.alt for image in page.images("img.app-compare__image")]
    assert "Earlier photo: Close-up of the forearm, 3 March 2026" in alts
    assert "Later photo: Close-up of the forearm, 17 March 2026" in alts
    # The overlay and its slider come from a <template> that the compare component clones.
    [overlay] = page.select('template[data-app-template="overlay"]')
    assert 'type="range"' in str(overlay) and "data-compare-slider" in str(overlay)
    # main.mjs starts the compare component on this element.
    assert len(page.select('[data-module="app-compare"]')) == 1
    # Without JavaScript the form still chooses the two photos.
    chooser = page.form("form.app-compare__chooser")
    assert chooser.method == "get" and {"a", "b"} <= chooser.names
    [entry] = AuditEntry.objects.filter(action=Action.PHOTOS_COMPARED)
    assert entry.object_id == str(patient.id)
    assert entry.detail == {"photos": [str(filed[1].id), str(filed[3].id)]}


def test_photos_taken_differently_are_not_laid_over_each_other(clinician_client, patient, filed):
    page = compare(clinician_client, patient, a=filed[0].id, b=filed[3].id).page
    assert "data-compare-slider" not in page.source
    assert "not laid one over the other" in page.text


def test_with_nothing_chosen_the_first_and_latest_alike_are_compared(
    clinician_client, patient, filed
):
    page = compare(clinician_client, patient).page
    assert side_by_side(page) == [image(filed[1]), image(filed[3])]
    assert AuditEntry.objects.filter(action=Action.PHOTOS_COMPARED).count() == 1


def test_photos_of_different_sites_get_a_clear_message(clinician_client, clinician, patient, filed):
    knee = file_photos(
        by=clinician, patient=patient, body_site=KNEE, labels=("where",), sent_on=on(2026, 4, 1)
    )
    response = compare(clinician_client, patient, a=filed[1].id, b=knee[0].id)
    assert response.status_code == 200
    page = response.page
    assert "different parts of the body" in page.text
    assert page.title.startswith("Error: Compare photos")
    assert page.select("img") == []
    assert not AuditEntry.objects.filter(action=Action.PHOTOS_COMPARED).exists()


def test_another_patient_s_photo_or_a_forged_id_is_refused_with_a_message(
    clinician_client, clinician, practice, patient, filed
):
    someone_else = PatientFactory(practice=practice, given_name="Grace")
    theirs = file_photos(by=clinician, patient=someone_else, labels=("where",))
    for b in (theirs[0].id, "not-a-photo", "00000000-0000-4000-8000-000000000000"):
        response = compare(clinician_client, patient, a=filed[1].id, b=b)
        assert response.status_code == 200
        assert "Choose two photos of this patient" in response.page.text
        assert response.page.select("img") == []
    assert not AuditEntry.objects.filter(action=Action.PHOTOS_COMPARED).exists()


def test_the_same_photo_twice_is_refused(clinician_client, patient, filed):
    page = compare(clinician_client, patient, a=filed[1].id, b=filed[1].id).page.text
    assert "Choose two different photos" in page


def test_a_patient_with_one_photo_is_told_what_is_needed(clinician_client, clinician, patient):
    file_photos(by=clinician, patient=patient, labels=("where",))
    response = compare(clinician_client, patient)
    assert response.page.h1
    assert "needs at least two photos" in response.page.text


@pytest.mark.parametrize("who", ["admin_team_client", "manager_client"])
def test_admins_and_managers_cannot_compare(request, who, patient, filed):
    response = compare(request.getfixturevalue(who), patient, a=filed[1].id, b=filed[3].id)
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=Action.PHOTOS_COMPARED).exists()


def test_another_practice_gets_404(other_clinician_client, patient, filed):
    assert compare(other_clinician_client, patient).status_code == 404
