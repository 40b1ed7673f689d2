"""The practice inbox: answered requests, and requests someone needs to act on.

Reads only, apart from the audit entry for a viewing. Every figure a row shows comes from the one
query that finds the rows (annotations and joins, never a query per row), so a page costs the
same whatever the practice's history holds; the header's counts are two counts over indexed
columns (see `counts`).

A request needs attention while it is open and its patient cannot answer: the current link was
locked after wrong dates of birth, the latest text was not delivered, or the link expired with no
answer. It stays in the inbox until someone sends the text again or cancels the request; nothing
here deletes or hides anything on its own.
"""

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from clinical_photos.accounts.models import Practice, User
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record
from clinical_photos.messaging.models import TextMessage
from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.photo_requests.models import PatientLink, PhotoRequest
from clinical_photos.photos.models import Photo

Status = PhotoRequest.Status


class Show(enum.StrEnum):
    """Which rows the inbox shows (the `show` parameter of the page's address)."""

    ALL = "all"
    UNFILED = "unfiled"
    DECLINED = "declined"
    ATTENTION = "attention"


@dataclass(frozen=True)
class InboxFilter:
    show: Show = Show.ALL
    # Only requests this user made ("mine").
    requested_by: User | None = None
    # Local dates, both included, on the answer's date (or the request's, with no answer).
    date_from: date | None = None
    date_to: date | None = None


def _current_links():
    return PatientLink.objects.filter(photo_request=OuterRef("pk")).current()


def with_state(requests: QuerySet[PhotoRequest], *, now: datetime | None = None) -> QuerySet:
    """Requests annotated with what the inbox shows about each, all in the same query.

    - link_locked / link_expired: about the current (not replaced) link;
    - latest_text_status: the status of the newest text for the request;
    - photo_count: photos in the patient's answer (0 when none);
    - inbox_at: when the patient answered, or when the request was made if they have not.
    """
    now = now or timezone.now()
    latest_text = TextMessage.objects.filter(photo_request=OuterRef("pk")).order_by("-created_at")
    photos = (
        Photo.objects.filter(response__photo_request=OuterRef("pk"))
        .order_by()
        .values("response_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return requests.annotate(
        link_locked=Exists(_current_links().locked()),
        link_expired=Exists(_current_links().expired(now)),
        latest_text_status=Subquery(latest_text.values("status")[:1]),
        photo_count=Coalesce(Subquery(photos[:1]), 0),
        inbox_at=Coalesce("response__created_at", "created_at"),
    )


def photo_problems(photo_requests) -> dict:
    """Each answered request's photos' quality problems (one list per photo), by request id.

    One query for a page of the inbox; requests with no photos are left out.
    """
    problems: dict = {}
    photos = (
        Photo.objects.filter(response__photo_request__in=[r.id for r in photo_requests])
        .order_by("position", "created_at")
        .values_list("response__photo_request_id", "problems")
    )
    for request_id, found in photos:
        problems.setdefault(request_id, []).append(found or [])
    return problems


def _needs_attention() -> Q:
    return Q(status=Status.OPEN) & (
        Q(link_locked=True) | Q(link_expired=True) | Q(latest_text_status=TextMessage.Status.FAILED)
    )


def _unfiled() -> Q:
    return Q(
        status=Status.ANSWERED,
        response__kind=PatientResponse.Kind.PHOTOS,
        response__filing__isnull=True,
    )


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def inbox_requests(practice: Practice, inbox_filter: InboxFilter | None = None) -> QuerySet:
    """The practice's inbox as one queryset, newest first, each row with all it shows."""
    inbox_filter = inbox_filter or InboxFilter()
    # Only open requests can need attention, and only answered or declined ones have an
    # answer: the status narrows the scan before any per-row subquery runs.
    requests = practice.photo_requests.filter(
        status__in=[Status.OPEN, Status.ANSWERED, Status.DECLINED]
    )
    if inbox_filter.requested_by is not None:
        requests = requests.filter(requested_by=inbox_filter.requested_by)
    requests = with_state(requests)
    match inbox_filter.show:
        case Show.UNFILED:
            requests = requests.filter(_unfiled())
        case Show.DECLINED:
            requests = requests.filter(status=Status.DECLINED)
        case Show.ATTENTION:
            requests = requests.filter(_needs_attention())
        case _:
            requests = requests.filter(
                Q(status__in=[Status.ANSWERED, Status.DECLINED]) | _needs_attention()
            )
    if inbox_filter.date_from is not None:
        requests = requests.filter(inbox_at__gte=_local_midnight(inbox_filter.date_from))
    if inbox_filter.date_to is not None:
        requests = requests.filter(
            inbox_at__lt=_local_midnight(inbox_filter.date_to + timedelta(days=1))
        )
    return requests.select_related(
        "patient",
        "requested_by",
        "template",
        "response",
        "response__filing",
        "response__filing__filed_by",
    ).order_by("-inbox_at", "-created_at")


@dataclass(frozen=True)
class Counts:
    unfiled: int
    needing_attention: int


def count_unfiled(practice: Practice) -> int:
    # Responses by (practice, -created_at) index, each checked against Filing's unique
    # response_id index.
    return practice.patient_responses.filter(
        kind=PatientResponse.Kind.PHOTOS, filing__isnull=True
    ).count()


def count_needing_attention(practice: Practice) -> int:
    return (
        with_state(practice.photo_requests.filter(status=Status.OPEN))
        .filter(_needs_attention())
        .count()
    )


def counts(practice: Practice) -> Counts:
    """The header's figures: two COUNT queries, whatever the practice's history holds."""
    return Counts(
        unfiled=count_unfiled(practice), needing_attention=count_needing_attention(practice)
    )


def record_inbox_viewed(*, by: User, inbox_filter: InboxFilter, page: int, shown: int) -> None:
    with transaction.atomic():
        record(
            Action.INBOX_VIEWED,
            user=by,
            detail={
                "show": str(inbox_filter.show),
                "mine": inbox_filter.requested_by is not None,
                "page": page,
                "rows": shown,
            },
        )
