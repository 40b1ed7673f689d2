"""How a review reads: the review screen's parts, the queue's rows and the outcome's words."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from clinical_photos.core import working_days

from ..timeline import presenters as timeline
from .models import Review


@dataclass(frozen=True)
class QueueRow:
    review: Review
    patient_name: str
    nhs_number: str
    asked_for: str
    filed_at: datetime
    due_on: date
    overdue: bool
    assigned_to: str
    review_url: str
    assign_url: str


def queue_row(review: Review, *, now=None) -> QueueRow:
    now = now or timezone.now()
    patient = review.filing.patient
    return QueueRow(
        review=review,
        patient_name=patient.full_name,
        nhs_number=patient.nhs_number,
        asked_for=review.filing.response.photo_request.template.name,
        filed_at=review.filing.filed_at,
        due_on=due_on(review),
        overdue=review.due_at <= now,
        assigned_to=review.assigned_to.full_name if review.assigned_to else "Nobody yet",
        review_url=reverse("review:detail", kwargs={"review_id": review.id}),
        assign_url=reverse("review:assign", kwargs={"review_id": review.id}),
    )


def due_on(review: Review) -> date:
    """The working day by whose end the review is due (`due_at` is the midnight after it)."""
    return timezone.localtime(review.due_at - timedelta(microseconds=1)).date()


def due_words(review: Review) -> str:
    """Says "Due by the end of 2 December 2026" or, once late, "Overdue by 2 working days"."""
    from clinical_photos.core.jinja_helpers import date_long

    day = due_on(review)
    if review.due_at > timezone.now():
        return f"Due by the end of {date_long(day)}"
    late = working_days.working_days_between(day, timezone.localdate())
    return f"Overdue by {late} working day{'' if late == 1 else 's'}" if late else "Overdue"


def outcome_words(review: Review) -> str:
    """ "Reviewed, no action needed, by Dr Amy Patel on 3 December 2026 at 10:15am"."""
    from clinical_photos.core.jinja_helpers import datetime_long

    if not review.is_done:
        return ""
    return (
        f"{review.get_outcome_display()}, by {review.reviewed_by.full_name} on "
        f"{datetime_long(review.reviewed_at)}"
    )


@dataclass
class EarlierVisit:
    taken_at: datetime
    photos: list = field(default_factory=list)


def earlier_visits(photos) -> list[EarlierVisit]:
    """Earlier photos of the site, one entry per answer, newest first (nearest to compare)."""
    visits: list[EarlierVisit] = []
    for photo in photos:
        if not visits or visits[-1].photos[0].response_id != photo.response_id:
            visits.append(EarlierVisit(timeline.taken_at(photo)))
        visits[-1].photos.append(photo)
    return list(reversed(visits))
