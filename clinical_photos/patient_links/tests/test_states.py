"""A link's state is worked out in Python (`state()`, for the page a patient sees) and in
queries (`current()`, `locked()`, `expired()`, for the inbox and housekeeping). These hold the
two to the same answer for every state, for both kinds of link."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinical_photos.patient_links.models import LinkState
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photo_requests.models import PatientLink
from clinical_photos.photo_requests.tests.factories import make_request
from clinical_photos.records.models import PatientViewLink
from clinical_photos.records.patient_view import services as view_services
from clinical_photos.records.tests.factories import file_photos, send_view_link

pytestmark = pytest.mark.django_db

AN_HOUR_AGO = timezone.now() - timedelta(hours=1)
CHANGES = {
    LinkState.OPEN: {},
    LinkState.LOCKED: {"locked_at": AN_HOUR_AGO, "failed_date_of_birth_attempts": 5},
    LinkState.EXPIRED: {"expires_at": AN_HOUR_AGO},
    LinkState.REPLACED: {"replaced_at": AN_HOUR_AGO},
}


def _as_the_queries_see_it(link) -> LinkState:
    links = type(link).objects.filter(pk=link.pk)
    if not links.current().exists():
        return LinkState.REVOKED if link.revoked_at else LinkState.REPLACED
    if links.locked().exists():
        return LinkState.LOCKED
    if links.expired().exists():
        return LinkState.EXPIRED
    return LinkState.OPEN


@pytest.fixture
def upload_link(clinician, patient):
    return make_request(clinician, patient).current_link


@pytest.fixture
def view_link(clinician, patient):
    file_photos(by=clinician, patient=patient)
    send_view_link(by=clinician, patient=patient)
    return patient.view_links.get()


@pytest.mark.parametrize("state", list(CHANGES))
@pytest.mark.parametrize("kind", ["upload_link", "view_link"])
def test_python_and_the_queries_agree(request, kind, state):
    link = request.getfixturevalue(kind)
    type(link).objects.filter(pk=link.pk).update(**CHANGES[state])
    link.refresh_from_db()

    assert link.state() == state
    assert _as_the_queries_see_it(link) == state


def test_a_revoked_view_link_is_revoked_both_ways(view_link, clinician):
    view_services.revoke_view_link(by=clinician, link=view_link)
    view_link.refresh_from_db()

    assert view_link.state() == LinkState.REVOKED
    assert _as_the_queries_see_it(view_link) == LinkState.REVOKED


def test_the_request_ends_an_upload_link_before_anything_else(upload_link, clinician):
    PatientLink.objects.filter(pk=upload_link.pk).update(expires_at=AN_HOUR_AGO)
    request_services.cancel_request(by=clinician, photo_request=upload_link.photo_request)
    upload_link = PatientLink.objects.get(pk=upload_link.pk)

    # The patient is told the request was cancelled, not that the link expired.
    assert upload_link.state() == LinkState.CANCELLED
    assert PatientLink.objects.cannot_send().filter(pk=upload_link.pk).exists()


def test_each_kind_of_link_keeps_to_its_own_table(upload_link, view_link):
    assert not PatientViewLink.objects.filter(token_sha256=upload_link.token_sha256).exists()
    assert not PatientLink.objects.filter(token_sha256=view_link.token_sha256).exists()
