"""A patient's photos in the record: grouped by site and condition, oldest first, audited."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import check_page
from clinical_photos.photos import storage
from clinical_photos.photos.models import Photo
from clinical_photos.records.timeline import presenters

from . import test_timeline_support as support
from .test_timeline_support import HAND, file_submission, make_patient, on

patient, filed, photo = support.patient, support.filed, support.photo

pytestmark = pytest.mark.django_db


def timeline(client, patient):
    return client.get(reverse("record:timeline", args=[patient.id]))


def test_a_clinician_sees_the_photos_oldest_first_with_dates_requests_and_labels(
    clinician_client, patient, filed
):
    response = timeline(clinician_client, patient)
    assert response.status_code == 200
    check_page(response)
    page = response.content.decode()
    assert '<h2 id="group-1">Forearm</h2>' in page
    assert page.index("3 March 2026") < page.index("17 March 2026")
    assert page.count("the request for photos: Rash") == 2
    assert reverse("photo_requests:detail", args=[filed[0].response.photo_request_id]) in page
    assert "Where it is" in page and "Close-up" in page
    images = re.findall(r'<img class="app-timeline__image" src="([^"]+)" alt="([^"]+)"', page)
    assert [src for src, _ in images] == [
        reverse("record:photo_preview", args=[p.id]) for p in filed
    ]
    assert images[1][1] == "Close-up of the forearm, 3 March 2026"
    assert images[0][1] == "Photo showing where it is of the forearm, 3 March 2026"
    # Comparing starts from the first and latest photos taken the same way.
    assert f"?a={filed[1].id}&amp;b={filed[3].id}" in page


def test_each_view_is_recorded_once(clinician_client, clinician, patient, filed):
    timeline(clinician_client, patient)
    [entry] = AuditEntry.objects.filter(action=Action.TIMELINE_VIEWED)
    assert (entry.user, entry.object_id, entry.detail) == (
        clinician,
        str(patient.id),
        {"photos": 4},
    )
    # Showing the page opens no photo: only the browser's requests for the images do.
    assert not AuditEntry.objects.filter(action=Action.PHOTO_VIEWED).exists()


@pytest.mark.parametrize("who", ["admin_team_client", "manager_client"])
def test_admins_and_managers_see_the_list_but_no_image(request, who, patient, filed):
    response = timeline(request.getfixturevalue(who), patient)
    assert response.status_code == 200
    check_page(response)
    page = response.content.decode()
    assert "Only clinicians can see photos" in page
    assert "<img" not in page
    for photo in filed:
        for name in ("record:photo_image", "record:photo_preview"):
            assert reverse(name, args=[photo.id]) not in page
    assert "3 March 2026" in page and "Close-up" in page
    assert "Remove from the record" not in page
    assert AuditEntry.objects.filter(action=Action.TIMELINE_VIEWED).count() == 1


def test_photos_are_grouped_by_site_and_by_the_condition_a_clinician_named(
    clinician_client, clinician, patient, filed
):
    file_submission(by=clinician, patient=patient, body_site=HAND, sent_on=on(2026, 1, 5))
    Photo.objects.filter(pk=filed[3].pk).update(condition="Eczema")
    page = timeline(clinician_client, patient).content.decode()
    titles = re.findall(r'<h2 id="group-\d+">([^<]+)</h2>', page)
    assert titles == ["Forearm", "Forearm: Eczema", "Hand"]


def test_a_photo_entered_in_error_is_marked_and_not_compared_by_default(
    clinician_client, clinician, patient, filed
):
    Photo.objects.filter(pk=filed[3].pk).update(
        entered_in_error_at=timezone.now(), entered_in_error_by=clinician
    )
    page = timeline(clinician_client, patient).content.decode()
    assert page.count("Entered in error") == 1
    assert f"Marked as entered in error by {clinician.full_name}" in page
    assert f"b={filed[3].id}" not in page
    assert f"?a={filed[0].id}&amp;b={filed[2].id}" in page


def test_a_removed_photo_is_a_tombstone_without_an_image(
    clinician_client, clinician, patient, filed
):
    Photo.objects.filter(pk=filed[1].pk).update(
        removed_at=timezone.now(), removed_by=clinician, removal_reason="It is an intimate image"
    )
    response = timeline(clinician_client, patient)
    check_page(response)
    page = response.content.decode()
    assert "Photo removed from the record" in page
    assert f"Removed by {clinician.full_name}" in page
    assert "Reason: It is an intimate image" in page
    assert reverse("record:photo_preview", args=[filed[1].id]) not in page
    assert page.count("<img") == 3


def test_a_patient_without_photos_is_told_so(clinician_client, patient):
    response = timeline(clinician_client, patient)
    check_page(response)
    assert "No photos have been filed" in response.content.decode()


def test_unfiled_photos_and_other_patients_photos_are_not_shown(
    clinician_client, clinician, practice, patient, filed
):
    someone_else = make_patient(practice, nhs_number="9999999999", given_name="Grace")
    theirs = file_submission(by=clinician, patient=someone_else)
    Photo.objects.filter(pk=filed[0].pk).update(patient=None)
    page = timeline(clinician_client, patient).content.decode()
    assert str(filed[0].id) not in page
    assert str(theirs[0].id) not in page


def test_another_practice_gets_404(other_clinician_client, patient, filed):
    assert timeline(other_clinician_client, patient).status_code == 404
    assert not AuditEntry.objects.filter(action=Action.TIMELINE_VIEWED).exists()


def test_the_photo_page_shows_the_photo_to_clinicians_only(
    clinician_client, admin_team_client, photo
):
    url = reverse("record:photo", args=[photo.id])
    response = clinician_client.get(url)
    check_page(response)
    assert reverse("record:photo_image", args=[photo.id]) in response.content.decode()
    response = admin_team_client.get(url)
    check_page(response)
    assert "<img" not in response.content.decode()


def test_alt_text_names_the_kind_the_site_and_the_date(photo):
    assert presenters.alt_text(photo) == "Close-up of the forearm, 3 March 2026"


def test_the_preview_is_the_one_made_when_the_photo_arrived(clinician_client, photo):
    response = clinician_client.get(reverse("record:photo_preview", args=[photo.id]))

    assert response.status_code == 200
    assert response.content == storage.read_preview(photo)
    assert Image.open(io.BytesIO(response.content)).size == (400, 300)


def test_a_photo_from_before_previews_gets_one_made_when_shown(clinician_client, photo):
    Photo.objects.filter(pk=photo.pk).update(preview_ciphertext=None)

    response = clinician_client.get(reverse("record:photo_preview", args=[photo.id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
