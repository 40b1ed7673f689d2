"""A patient's photos in the record: grouped by site and condition, oldest first, audited."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.patients.tests.factories import PatientFactory
from clinical_photos.photo_requests.tests.factories import HAND
from clinical_photos.photos import storage
from clinical_photos.photos.models import Photo
from clinical_photos.records.tests.factories import file_photos, on
from clinical_photos.records.timeline import presenters

pytestmark = pytest.mark.django_db


def timeline(client, patient):
    return client.get(reverse("record:timeline", args=[patient.id]))


def group_titles(page) -> list[str]:
    return page.text_of("section.app-timeline-group h2")


def compare_hrefs(page, patient) -> list[str]:
    compare = reverse("record:compare", args=[patient.id])
    return [href.removeprefix(compare) for href in page.hrefs("main") if href.startswith(compare)]


def test_a_clinician_sees_the_photos_oldest_first_with_dates_requests_and_labels(
    clinician_client, patient, filed
):
    response = timeline(clinician_client, patient)
    assert response.status_code == 200
    page = response.page
    assert page.h1 == f"Photos of {patient.full_name}"
    assert page.select_one("#group-1").get_text() == "Forearm"
    assert group_titles(page) == ["Forearm"]
    assert page.text_of(".app-timeline__date") == ["3 March 2026", "17 March 2026"]
    requests = [link for link in page.links("main") if link.text == "the request for photos: Rash"]
    assert len(requests) == 2
    request_url = reverse("photo_requests:detail", args=[filed[0].response.photo_request_id])
    assert request_url in [link.href for link in requests]
    assert "Where it is" in page.text and "Close-up" in page.text
    images = page.images("img.app-timeline__image")
    assert [image.src for image in images] == [
        reverse("record:photo_preview", args=[p.id]) for p in filed
    ]
    assert images[1].alt == "Close-up of the forearm, 3 March 2026"
    assert images[0].alt == "Photo showing where it is of the forearm, 3 March 2026"
    # Comparing starts from the first and latest photos taken the same way.
    assert compare_hrefs(page, patient) == [f"?a={filed[1].id}&b={filed[3].id}"]


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
    page = response.page
    assert "Only clinicians can see photos" in page.text
    assert page.select("img") == []
    for photo in filed:
        for name in ("record:photo_image", "record:photo_preview"):
            assert reverse(name, args=[photo.id]) not in page.source
    assert "3 March 2026" in page.text and "Close-up" in page.text
    assert "Remove from the record" not in page.text
    assert not [href for href in page.hrefs() if "/remove" in href]
    assert AuditEntry.objects.filter(action=Action.TIMELINE_VIEWED).count() == 1


def test_photos_are_grouped_by_site_and_by_the_condition_a_clinician_named(
    clinician_client, clinician, patient, filed
):
    file_photos(
        by=clinician, patient=patient, body_site=HAND, labels=("where",), sent_on=on(2026, 1, 5)
    )
    Photo.objects.filter(pk=filed[3].pk).update(condition="Eczema")
    page = timeline(clinician_client, patient).page
    assert group_titles(page) == ["Forearm", "Forearm: Eczema", "Hand"]


def test_a_photo_entered_in_error_is_marked_and_not_compared_by_default(
    clinician_client, clinician, patient, filed
):
    Photo.objects.filter(pk=filed[3].pk).update(
        entered_in_error_at=timezone.now(), entered_in_error_by=clinician
    )
    page = timeline(clinician_client, patient).page
    assert page.text_of(".nhsuk-tag") == ["Entered in error"]
    assert page.text.count("Entered in error") == 1
    assert f"Marked as entered in error by {clinician.full_name}" in page.text
    assert f"b={filed[3].id}" not in page.source
    assert compare_hrefs(page, patient) == [f"?a={filed[0].id}&b={filed[2].id}"]


def test_a_removed_photo_is_a_tombstone_without_an_image(
    clinician_client, clinician, patient, filed
):
    Photo.objects.filter(pk=filed[1].pk).update(
        removed_at=timezone.now(), removed_by=clinician, removal_reason="It is an intimate image"
    )
    page = timeline(clinician_client, patient).page
    [tombstone] = page.text_of(".app-timeline__photo--removed")
    assert "Photo removed from the record" in tombstone
    assert f"Removed by {clinician.full_name}" in tombstone
    assert "Reason: It is an intimate image" in tombstone
    assert reverse("record:photo_preview", args=[filed[1].id]) not in page.source
    assert len(page.select("img")) == 3


def test_a_patient_without_photos_is_told_so(clinician_client, patient):
    page = timeline(clinician_client, patient).page
    assert "No photos have been filed" in page.text


def test_unfiled_photos_and_other_patients_photos_are_not_shown(
    clinician_client, clinician, practice, patient, filed
):
    someone_else = PatientFactory(practice=practice, given_name="Grace")
    theirs = file_photos(by=clinician, patient=someone_else, labels=("where",))
    Photo.objects.filter(pk=filed[0].pk).update(patient=None)
    page = timeline(clinician_client, patient).page
    assert str(filed[0].id) not in page.source
    assert str(theirs[0].id) not in page.source


def test_another_practice_gets_404(other_clinician_client, patient, filed):
    assert timeline(other_clinician_client, patient).status_code == 404
    assert not AuditEntry.objects.filter(action=Action.TIMELINE_VIEWED).exists()


def test_the_photo_page_shows_the_photo_to_clinicians_only(
    clinician_client, admin_team_client, photo
):
    url = reverse("record:photo", args=[photo.id])
    page = clinician_client.get(url).page
    assert reverse("record:photo_image", args=[photo.id]) in [i.src for i in page.images()]
    page = admin_team_client.get(url).page
    assert page.select("img") == []
    assert reverse("record:photo_image", args=[photo.id]) not in page.source


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


def test_the_timeline_can_show_the_newest_photos_first(clinician_client, patient, filed):
    url = reverse("record:timeline", args=[patient.id])
    page = clinician_client.get(url).page
    [newest_first] = [link for link in page.links("main") if link.text == "Newest first"]
    assert newest_first.href == "?order=newest"

    page = clinician_client.get(url, {"order": "newest"}).page

    assert page.text_of(".app-timeline__date") == ["17 March 2026", "3 March 2026"]
    # The photos of each answer stay in the order the patient sent them.
    assert [image.src for image in page.images("img.app-timeline__image")] == [
        reverse("record:photo_preview", args=[p.id]) for p in filed[2:] + filed[:2]
    ]
    [oldest_first] = [link for link in page.links("main") if link.text == "Oldest first"]
    assert oldest_first.href == "?order=oldest"
    # The order shown is said, not only linked away from.
    assert "Showing the newest photos first" in page.text
    # Comparing still starts from the first and latest photos taken the same way.
    assert compare_hrefs(page, patient) == [f"?a={filed[1].id}&b={filed[3].id}"]


@pytest.mark.parametrize("order", ["", "oldest", "sideways", "9" * 5000, "newest\x00"])
def test_any_other_order_is_oldest_first(clinician_client, patient, filed, order):
    response = clinician_client.get(reverse("record:timeline", args=[patient.id]), {"order": order})
    assert response.status_code == 200
    assert response.page.text_of(".app-timeline__date") == ["3 March 2026", "17 March 2026"]


def test_the_photo_page_zooms_to_full_size_and_links_to_the_photo_itself(clinician_client, photo):
    url = reverse("record:photo", args=[photo.id])
    image_url = reverse("record:photo_image", args=[photo.id])
    page = clinician_client.get(url).page
    links = {link.text: link.href for link in page.links("main")}
    assert links["Open the full-size photo"] == image_url
    assert links["Zoom in to full size"] == "?size=full"
    [fitted] = page.select("img.app-photo-full")
    assert "app-photo-full--actual" not in fitted["class"]

    page = clinician_client.get(url, {"size": "full"}).page

    # At full size the photo scrolls in a box of its own, which the keyboard can scroll too.
    [box] = page.select(".app-photo-zoom")
    assert box["tabindex"] == "0" and box["role"] == "region" and box["aria-label"]
    assert box.img["src"] == image_url
    assert "app-photo-full--actual" in box.img["class"]
    links = {link.text: link.href for link in page.links("main")}
    assert links["Zoom out to fit the screen"] == url


def test_the_photo_page_offers_no_zoom_to_those_who_may_not_see_photos(admin_team_client, photo):
    page = admin_team_client.get(reverse("record:photo", args=[photo.id]), {"size": "full"}).page
    assert "Zoom" not in page.text and "full-size" not in page.text


def test_the_patient_s_moment_reads_as_received(clinician_client, patient, photo):
    timeline_page = clinician_client.get(reverse("record:timeline", args=[patient.id])).page
    assert "Received in answer to the request for photos: Rash" in timeline_page.text
    assert "Sent in answer" not in timeline_page.text
    photo_page = clinician_client.get(reverse("record:photo", args=[photo.id])).page
    assert photo_page.summary_list()["Received from the patient"] == "3 March 2026"
