"""A request's status changes only through lifecycle.py, and the database holds each status to
its moment and each request to one working link."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinical_photos.patient_links import services as links
from clinical_photos.photo_requests import lifecycle
from clinical_photos.photo_requests.models import PatientLink, PhotoRequest

pytestmark = pytest.mark.django_db


def test_cancelling_records_who_and_when(photo_request, clinician):
    with transaction.atomic():
        lifecycle.cancel(lifecycle.lock_open(photo_request), by=clinician)

    photo_request.refresh_from_db()
    assert photo_request.status == PhotoRequest.Status.CANCELLED
    assert photo_request.cancelled_by == clinician and photo_request.cancelled_at is not None


@pytest.mark.parametrize(
    ("with_photos", "status"),
    [(True, PhotoRequest.Status.ANSWERED), (False, PhotoRequest.Status.DECLINED)],
)
def test_answering_records_when(photo_request, with_photos, status):
    with transaction.atomic():
        lifecycle.answer(lifecycle.lock_open(photo_request), with_photos=with_photos)

    photo_request.refresh_from_db()
    assert photo_request.status == status and photo_request.answered_at is not None


def test_a_request_that_has_ended_cannot_move_on(photo_request, clinician):
    with transaction.atomic():
        lifecycle.cancel(lifecycle.lock_open(photo_request), by=clinician)

    with pytest.raises(lifecycle.RequestNotOpen), transaction.atomic():
        lifecycle.lock_open(photo_request)


@pytest.mark.parametrize(
    "change",
    [
        {"status": PhotoRequest.Status.CANCELLED},  # no moment, no one
        {"status": PhotoRequest.Status.ANSWERED},  # no moment
        {"answered_at": timezone.now()},  # open, yet answered
        {"cancelled_at": timezone.now()},  # open, yet cancelled
    ],
    ids=["cancelled-by-no-one", "answered-never", "open-but-answered", "open-but-cancelled"],
)
def test_the_database_refuses_a_status_without_its_moment(photo_request, change):
    with pytest.raises(IntegrityError), transaction.atomic():
        PhotoRequest.objects.filter(pk=photo_request.pk).update(**change)


def test_the_database_keeps_one_working_link_per_request(photo_request):
    with pytest.raises(IntegrityError), transaction.atomic():
        links.issue(PatientLink, photo_request=photo_request, lifetime_days=7)
