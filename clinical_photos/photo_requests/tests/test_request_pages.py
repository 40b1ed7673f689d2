"""The request list and a request's own page: what they show, to whom, and the audit trail."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.jinja_helpers import datetime_long
from clinical_photos.core.tests.page_checks import Link
from clinical_photos.patient_upload.tests.factories import send_photos
from clinical_photos.photo_requests import services

from .factories import make_request

LIST = reverse("photo_requests:list")


def detail_url(photo_request) -> str:
    return reverse("photo_requests:detail", args=[photo_request.id])


REQUEST = re.compile(r"/requests/([0-9a-f-]{36})/")


def listed_requests(page) -> list[str]:
    """The ids of the requests a page links to, in order."""
    return [found[1] for href in page.hrefs("main") if (found := REQUEST.fullmatch(href))]


def linked_requests(page) -> set[str]:
    return set(listed_requests(page))


# The list


def test_the_list_says_when_there_are_no_requests(clinician_client):
    response = clinician_client.get(LIST)

    page = response.page
    assert page.h1 == "Photo requests"
    assert "Your practice has not asked for any photos yet." in response.page.text


def test_the_list_shows_the_practices_requests(clinician_client, photo_request):
    response = clinician_client.get(LIST)

    page = response.page
    assert linked_requests(page) == {str(photo_request.id)}
    assert "Ada Lovelace (943 476 5919)" in page.text
    assert "Rash" in page.text
    assert "Text delivered" in page.text


def test_the_list_shows_only_this_practices_requests(
    clinician_client, other_clinician_client, photo_request, other_practice_request
):
    ours = clinician_client.get(LIST).page
    theirs = other_clinician_client.get(LIST).page

    assert linked_requests(ours) == {str(photo_request.id)}
    assert "Zara" not in ours.source and "401 023 2137" not in ours.source
    assert linked_requests(theirs) == {str(other_practice_request.id)}
    assert "Ada" not in theirs.source and "943 476 5919" not in theirs.source


def test_the_list_has_pages_of_25_newest_first(clinician_client, clinician, patient):
    made = [make_request(clinician, patient) for _ in range(30)]
    newest_first = [str(r.id) for r in reversed(made)]

    first = clinician_client.get(LIST)
    second = clinician_client.get(LIST, {"page": 2})

    assert listed_requests(first.page) == newest_first[:25]
    assert listed_requests(second.page) == newest_first[25:]
    assert "?page=2" in first.page.hrefs("main")
    assert "?page=1" in second.page.hrefs("main")
    assert "?page=3" not in second.page.source


# One request


def test_the_request_page_shows_what_was_asked(clinician_client, clinician, patient):
    photo_request = make_request(
        clinician, patient, template_name="Mole", sites=["85562004"], note="Use daylight."
    )

    response = clinician_client.get(detail_url(photo_request))

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Photo request for Ada Lovelace"
    content = response.page.text
    assert "NHS number 943 476 5919" in content
    assert "Mole" in content
    assert "We would like to see the mole you are worried about." in content
    assert "Hand" in content
    assert "Use daylight." in content
    assert "Link works until" in content
    assert datetime_long(photo_request.current_link.expires_at) in content
    assert "07700 900123" in content
    assert Link("07700 900123", "tel:+447700900123") in page.links("main")


def test_each_view_writes_exactly_one_audit_entry(clinician_client, clinician, photo_request):
    viewed = AuditEntry.objects.filter(action=Action.REQUEST_VIEWED)

    clinician_client.get(detail_url(photo_request))
    assert viewed.count() == 1
    entry = viewed.get()
    assert entry.user == clinician
    assert (entry.object_type, entry.object_id) == ("photorequest", str(photo_request.id))

    clinician_client.get(detail_url(photo_request))
    assert viewed.count() == 2


def test_another_practice_gets_not_found_and_nothing_is_recorded(
    other_clinician_client, photo_request
):
    response = other_clinician_client.get(detail_url(photo_request))

    assert response.status_code == 404
    assert "Lovelace" not in response.page.source
    assert not AuditEntry.objects.filter(action=Action.REQUEST_VIEWED).exists()


@pytest.fixture
def expired(photo_request):
    link = photo_request.current_link
    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()
    return photo_request


def test_a_request_whose_link_has_expired_shows_expired(clinician_client, expired):
    detail = clinician_client.get(detail_url(expired))
    listed = clinician_client.get(LIST)

    assert detail.page.h1
    assert "Expired" in detail.page.text
    assert "Expired" in listed.page.text


def test_a_request_whose_link_has_not_expired_does_not_show_expired(
    clinician_client, photo_request
):
    link = photo_request.current_link
    link.expires_at = timezone.now() + timedelta(minutes=1)
    link.save()

    assert "Expired" not in clinician_client.get(detail_url(photo_request)).page.source
    assert "Expired" not in clinician_client.get(LIST).page.source


def test_sending_again_brings_an_expired_request_back(clinician_client, clinician, expired):
    services.resend_request(by=clinician, photo_request=expired)

    page = clinician_client.get(detail_url(expired)).page
    assert "Expired" not in page.source
    assert "Text delivered" in page.text


def test_the_patients_page_lists_their_requests(clinician_client, patient, photo_request):
    response = clinician_client.get(reverse("patients:detail", args=[patient.id]))

    page = response.page
    assert linked_requests(page) == {str(photo_request.id)}
    assert "No photos have been asked for yet." not in page.source


# Words for the moments: a text is sent; the patient's photos are received.


def test_photos_the_patient_sent_read_as_received_not_as_sent(
    clinician_client, photo_request, photo_storage
):
    send_photos(photo_request)

    listed = clinician_client.get(LIST).page
    page = clinician_client.get(detail_url(photo_request)).page

    # "Text sent" and "Photos sent" in one column read as the same moment: they are not.
    assert "Photos received" in listed.text and "Photos sent" not in listed.text
    answer = photo_request.response.created_at
    assert (
        page.summary_list()["Patient's answer"] == f"2 photos received on {datetime_long(answer)}"
    )
    assert "photos sent" not in page.text.lower()
    [header] = page.select("table thead tr")
    assert [cell.get_text(strip=True) for cell in header.select("th")] == ["Date", "To", "Status"]
