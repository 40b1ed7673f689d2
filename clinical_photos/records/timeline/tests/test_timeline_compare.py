"""Comparing two photos of the same site: side by side, one over the other when taken alike."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.patients.tests.factories import PatientFactory
from clinical_photos.photo_requests.tests.factories import KNEE
from clinical_photos.photos.models import Photo
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
    assert page.select("img.app-compare__image") == []
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
        assert response.page.select("img.app-compare__image") == []
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


# Choosing the photos


def choices(page, name: str) -> dict[str, tuple[str, str]]:
    """The photos offered for `name` ("a" or "b"): each radio's value, its words and preview."""
    offered = {}
    for radio in page.select(f"input[type=radio][name={name}]"):
        label = page.select_one(f"label[for={radio['id']}]")
        offered[radio["value"]] = (" ".join(label.get_text().split()), label.img["src"])
    return offered


def test_each_photo_is_offered_with_its_time_its_number_and_a_preview(
    clinician_client, clinician, patient
):
    # Five photos sent at once, so a date alone cannot tell them apart.
    five = file_photos(
        by=clinician,
        patient=patient,
        labels=("where",) + ("close_up",) * 4,
        sent_on=on(2026, 11, 30),
    )

    page = compare(clinician_client, patient, a=five[1].id, b=five[2].id).page

    for name in ("a", "b"):
        offered = choices(page, name)
        assert list(offered) == [str(photo.id) for photo in five]
        assert offered[str(five[1].id)] == (
            "Hand, close-up, 30 November 2026 at 10:30am, photo 2 of 5",
            reverse("record:photo_preview", args=[five[1].id]),
        )
        assert offered[str(five[0].id)][0] == (
            "Hand, where it is, 30 November 2026 at 10:30am, photo 1 of 5"
        )
    # Without JavaScript, the form still chooses the two photos, with the chosen ones checked.
    chooser = page.form("form.app-compare__chooser")
    assert chooser.method == "get"
    assert chooser.checked("a") == [str(five[1].id)] and chooser.checked("b") == [str(five[2].id)]


def test_a_choice_that_is_refused_links_to_the_first_photo_to_choose(
    clinician_client, patient, filed
):
    page = compare(clinician_client, patient, a=filed[1].id, b=filed[1].id).page
    assert page.error_summary() == {"#compare-a": "Choose two different photos"}


# Turning a photo to look at it


def pair(page):
    return page.select("img.app-compare__image:not([loading])")


def test_a_photo_is_turned_for_viewing_by_a_link_and_nothing_is_stored(
    clinician_client, patient, filed
):
    before = list(Photo.objects.values_list("id", "width", "height", "sha256"))
    page = compare(clinician_client, patient, a=filed[1].id, b=filed[3].id).page
    # The links turn one photo a quarter turn either way, and keep the photos chosen.
    turn_right = page.select_one("a[data-compare-rotate=earlier][data-compare-turn='90']")
    assert turn_right.get_text(" ", strip=True) == "Rotate the earlier photo right"
    query = parse_qs(urlsplit(turn_right["href"]).query)
    assert query == {"a": [str(filed[1].id)], "b": [str(filed[3].id)], "rotate_earlier": ["90"]}

    page = clinician_client.get(
        reverse("record:compare", args=[patient.id]) + turn_right["href"]
    ).page

    earlier, later = pair(page)
    assert earlier["src"] == image(filed[1]) + "?rotate=90"
    # A quarter turn makes a landscape photo portrait.
    assert (earlier["width"], earlier["height"]) == ("600", "800")
    assert later["src"] == image(filed[3]) and (later["width"], later["height"]) == ("800", "600")
    assert "Rotated 90° clockwise to view. The photo in the record is not changed" in page.text
    # Turning again goes on from here; turning back goes back.
    again = page.select_one("a[data-compare-rotate=earlier][data-compare-turn='90']")
    back = page.select_one("a[data-compare-rotate=earlier][data-compare-turn='-90']")
    assert parse_qs(urlsplit(again["href"]).query)["rotate_earlier"] == ["180"]
    assert "rotate_earlier" not in parse_qs(urlsplit(back["href"]).query)
    assert list(Photo.objects.values_list("id", "width", "height", "sha256")) == before


@pytest.mark.parametrize("turn", ["45", "-90", "abc", "9" * 5000, "90\x00"])
def test_a_turn_that_is_not_a_quarter_turn_is_ignored(clinician_client, patient, filed, turn):
    response = compare(clinician_client, patient, a=filed[1].id, b=filed[3].id, rotate_later=turn)
    assert response.status_code == 200
    assert [img["src"] for img in pair(response.page)] == [image(filed[1]), image(filed[3])]
