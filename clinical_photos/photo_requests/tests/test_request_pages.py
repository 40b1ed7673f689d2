"""The request list and a request's own page: what they show, to whom, and the audit trail."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.jinja_helpers import datetime_long
from clinical_photos.photo_requests import services

from .factories import make_request

LIST = reverse("photo_requests:list")


def detail_url(photo_request) -> str:
    return reverse("photo_requests:detail", args=[photo_request.id])


def linked_requests(content: str) -> set[str]:
    """The ids of the requests a page links to."""
    return set(re.findall(r'href="/requests/([0-9a-f-]{36})/"', content))


# The list


def test_the_list_says_when_there_are_no_requests(clinician_client):
    response = clinician_client.get(LIST)

    page = response.page
    assert page.h1 == "Photo requests"
    assert "Your practice has not asked for any photos yet." in response.page.text


def test_the_list_shows_the_practices_requests(clinician_client, photo_request):
    response = clinician_client.get(LIST)

    assert response.page.h1
    content = response.page.text
    assert linked_requests(content) == {str(photo_request.id)}
    assert "Amelia Okonkwo-Hartley (943 476 5919)" in content
    assert "Rash" in content
    assert "Text delivered" in content


def test_the_list_shows_only_this_practices_requests(
    clinician_client, other_clinician_client, photo_request, other_practice_request
):
    ours = clinician_client.get(LIST).page.text
    theirs = other_clinician_client.get(LIST).page.text

    assert linked_requests(ours) == {str(photo_request.id)}
    assert "Zara" not in ours and "401 023 2137" not in ours
    assert linked_requests(theirs) == {str(other_practice_request.id)}
    assert "Amelia" not in theirs and "943 476 5919" not in theirs


def test_the_list_has_pages_of_25_newest_first(clinician_client, clinician, patient):
    made = [make_request(clinician, patient) for _ in range(30)]
    newest_first = [str(r.id) for r in reversed(made)]

    first = clinician_client.get(LIST)
    second = clinician_client.get(LIST, {"page": 2})

    assert first.page.h1
    assert second.page.h1
    first_ids = re.findall(r'href="/requests/([0-9a-f-]{36})/"', first.page.text)
    second_ids = re.findall(r'href="/requests/([0-9a-f-]{36})/"', second.page.text)
    assert first_ids == newest_first[:25]
    assert second_ids == newest_first[25:]
    assert 'href="?page=2"' in first.page.text
    assert 'href="?page=1"' in second.page.text
    assert 'href="?page=3"' not in second.page.text


# One request


def test_the_request_page_shows_what_was_asked(clinician_client, clinician, patient):
    photo_request = make_request(
        clinician, patient, template_name="Mole", sites=["85562004"], note="Use daylight."
    )

    response = clinician_client.get(detail_url(photo_request))

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Photo request for Amelia Okonkwo-Hartley"
    content = response.page.text
    assert "NHS number 943 476 5919" in content
    assert "Mole" in content
    assert "We would like to see the mole you are worried about." in content
    assert "Hand" in content
    assert "Use daylight." in content
    assert "Link works until" in content
    assert datetime_long(photo_request.current_link.expires_at) in content
    assert "07700 900123" in content


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
    assert response.page.h1
    assert "Okonkwo" not in response.page.text
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

    assert "Expired" not in clinician_client.get(detail_url(photo_request)).page.text
    assert "Expired" not in clinician_client.get(LIST).page.text


def test_sending_again_brings_an_expired_request_back(clinician_client, clinician, expired):
    services.resend_request(by=clinician, photo_request=expired)

    content = clinician_client.get(detail_url(expired)).page.text
    assert "Expired" not in content
    assert "Text delivered" in content


def test_the_patients_page_lists_their_requests(clinician_client, patient, photo_request):
    response = clinician_client.get(reverse("patients:detail", args=[patient.id]))

    assert response.page.h1
    content = response.page.text
    assert linked_requests(content) == {str(photo_request.id)}
    assert "No photos have been asked for yet." not in content
