"""Clinical review: every filed submission goes to a clinician, who records what happens next.

Filing opens the review in the filing's own transaction (`open_review`): it goes to the
clinician who asked for the photos or, when the admin team asked, to the practice's queue,
which any clinician can take from. It is due by the end of the practice's set number of working
days after filing; `flag_overdue` (run by the worker every few minutes, tasks.py) flags one not
reviewed by then to the practice managers, once, and the queue then shows it to every
clinician. Each outcome is one service call with its audit entry; "follow-up photos" starts a
series (photo_requests.follow_ups) and "better photos now" a new request, in the same
transaction as the outcome.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from clinical_photos.accounts.models import Practice, Role, User
from clinical_photos.accounts.permissions import Permission, require
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record
from clinical_photos.core import working_days
from clinical_photos.messaging import staff_emails
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photo_requests.follow_ups import services as follow_ups

from ..filing.models import Filing
from .models import Outcome, Review

NOTE_MAX_LENGTH = 1000


class ReviewRefused(Exception):
    """Nothing was recorded; the message says why, in words for staff."""


class AlreadyReviewed(ReviewRefused):
    def __init__(self, review: Review):
        from clinical_photos.core.jinja_helpers import datetime_long

        super().__init__(
            f"{review.reviewed_by.full_name} reviewed these photos on "
            f"{datetime_long(review.reviewed_at)}: {review.get_outcome_display().lower()}. "
            "Nothing was changed."
        )


def reviewers(practice: Practice) -> QuerySet[User]:
    """Who can be given a review: the practice's active clinicians."""
    return practice.users.filter(role=Role.CLINICIAN, is_active=True).order_by("full_name")


def due_at_for(practice: Practice, filed_at):
    filed_on = timezone.localtime(filed_at).date()
    return working_days.end_of_working_day(
        working_days.add_working_days(filed_on, practice.review_within_days)
    )


def open_review(filing: Filing, *, by: User) -> Review:
    """Put a new filing in clinical review. Call it in the filing's transaction."""
    requester = filing.response.photo_request.requested_by
    to = requester if requester.is_active and requester.may(Permission.REVIEW_PHOTOS) else None
    review = Review.objects.create(
        practice=filing.practice,
        filing=filing,
        assigned_to=to,
        created_at=filing.filed_at,
        due_at=due_at_for(filing.practice, filing.filed_at),
    )
    record(
        Action.REVIEW_OPENED,
        user=by,
        target=review,
        detail={"assigned": "requester" if to else "practice queue"},
    )
    if to is not None:
        staff_emails.tell_about_review(review, "to_review", [to])
    return review


# Reads


def practice_review(practice: Practice, review_id) -> Review | None:
    return (
        practice.reviews.select_related(
            "assigned_to",
            "reviewed_by",
            "filing__patient",
            "filing__filed_by",
            "filing__response__photo_request__template",
            "filing__response__photo_request__requested_by",
            "follow_up_series",
            "new_request",
        )
        .filter(id=review_id)
        .first()
    )


def waiting(practice: Practice) -> QuerySet[Review]:
    return practice.reviews.waiting().select_related(
        "assigned_to",
        "filing__patient",
        "filing__response__photo_request__template",
        "filing__response__photo_request__requested_by",
    )


@dataclass(frozen=True)
class Queues:
    mine: list[Review]
    practice: list[Review]  # nobody's yet, and overdue ones of colleagues
    colleagues: list[Review]  # assigned to others, not yet overdue


def queues(user: User, *, now=None) -> Queues:
    now = now or timezone.now()
    reviews = list(waiting(user.practice).order_by("due_at", "created_at"))
    mine, shared, others = [], [], []
    for review in reviews:
        if review.assigned_to_id == user.id:
            mine.append(review)
        elif review.assigned_to_id is None or review.due_at <= now:
            shared.append(review)
        else:
            others.append(review)
    return Queues(mine=mine, practice=shared, colleagues=others)


def count_to_review(user: User) -> int:
    """The header's figure for a clinician: theirs, and the queue's that nobody has taken."""
    return user.practice.reviews.waiting().filter(Q(assigned_to=user) | Q(assigned_to=None)).count()


def count_overdue(practice: Practice) -> int:
    return practice.reviews.overdue().count()


def earlier_photos(review: Review):
    """The record's earlier photos of the same site, for comparing: usable ones only."""
    photos = list(review.filing.response.photos.all())
    codes = {p.body_site_code for p in photos}
    return (
        review.filing.patient.photos.filter(
            body_site_code__in=codes,
            removed_at=None,
            entered_in_error_at=None,
            response__created_at__lt=review.filing.response.created_at,
        )
        .select_related("response")
        .order_by("response__created_at", "position")
    )


def record_review_viewed(*, by: User, review: Review) -> None:
    with transaction.atomic():
        record(Action.REVIEW_VIEWED, user=by, target=review)


# Changes


def _lock_waiting(review: Review) -> Review:
    locked = Review.objects.select_for_update(no_key=True).get(pk=review.pk)
    if locked.is_done:
        raise AlreadyReviewed(Review.objects.select_related("reviewed_by").get(pk=review.pk))
    return locked


def assign(*, by: User, review: Review, to: User | None) -> Review:
    """Give the review to `to` (a clinician of the practice), or back to the queue (None)."""
    if to == by:
        require(by, Permission.REVIEW_PHOTOS, of=review)
    else:
        require(by, Permission.ASSIGN_REVIEWS, of=review)
    if to is not None and not reviewers(by.practice).filter(pk=to.pk).exists():
        raise PermissionDenied("Reviews go to the practice's clinicians only.")
    with transaction.atomic():
        locked = _lock_waiting(review)
        before = locked.assigned_to_id
        locked.assigned_to = to
        locked.save(update_fields=["assigned_to"])
        record(
            Action.REVIEW_ASSIGNED,
            user=by,
            target=locked,
            detail={
                "from": str(before) if before else None,
                "to": str(to.id) if to else None,
            },
        )
        if to is not None and to != by:
            staff_emails.tell_about_review(locked, "to_review", [to])
    return locked


@dataclass(frozen=True)
class FollowUpPlan:
    every: int
    unit: str
    times: int


def record_outcome(
    *,
    by: User,
    review: Review,
    outcome: str,
    note: str = "",
    follow_up: FollowUpPlan | None = None,
    better_photos_reason: str = "",
) -> Review:
    """Record what the clinician decided, and start what it asks for, in one transaction."""
    require(by, Permission.REVIEW_PHOTOS, of=review)
    outcome = Outcome(outcome)
    with transaction.atomic():
        locked = _lock_waiting(review)
        filing = Filing.objects.select_related("patient", "response__photo_request__template").get(
            pk=locked.filing_id
        )
        asked = filing.response.photo_request
        detail = {"outcome": str(outcome)}
        if outcome == Outcome.FOLLOW_UP:
            if follow_up is None:
                raise ReviewRefused("Say how often and how many times to ask for photos.")
            locked.follow_up_series = follow_ups.start_series(
                by=by,
                follows=asked,
                patient=filing.patient,
                every=follow_up.every,
                unit=follow_up.unit,
                times=follow_up.times,
            )
            detail["series"] = str(locked.follow_up_series.id)
        elif outcome == Outcome.BETTER_PHOTOS:
            reason = better_photos_reason.strip()
            if not reason:
                raise ReviewRefused("Enter what the patient should do differently.")
            if not asked.template.is_active:
                raise ReviewRefused(
                    f"The request template {asked.template.name} is no longer in use. "
                    "Ask for photos from the patient's page instead."
                )
            locked.new_request = request_services.create_request(
                by=by,
                patient=filing.patient,
                template=asked.template,
                body_site_codes=asked.body_site_codes,
                note_to_patient=reason,
            )
            detail["request"] = str(locked.new_request.id)
        locked.outcome = outcome
        locked.outcome_note = note.strip()[:NOTE_MAX_LENGTH]
        locked.reviewed_by, locked.reviewed_at = by, timezone.now()
        if locked.assigned_to_id is None:
            locked.assigned_to = by
        locked.save()
        record(Action.REVIEW_RECORDED, user=by, target=locked, detail=detail)
    return locked


def flag_overdue(now=None) -> int:
    """Flag each review past its time, once: an audit entry, and an email to each of its
    practice's managers. Safe to run at any time, and twice at once."""
    flagged = 0
    for review_id in (
        Review.objects.overdue(now).filter(flagged_at=None).values_list("id", flat=True)
    ):
        with transaction.atomic():
            review = (
                Review.objects.select_for_update(no_key=True)
                .select_related("practice")
                .filter(pk=review_id, flagged_at=None, reviewed_at=None)
                .first()
            )
            if review is None:
                continue
            review.flagged_at = timezone.now()
            review.save(update_fields=["flagged_at"])
            record(Action.REVIEW_OVERDUE, practice=review.practice, target=review)
            managers = review.practice.users.filter(role=Role.PRACTICE_MANAGER, is_active=True)
            staff_emails.tell_about_review(review, "overdue", managers)
            flagged += 1
    return flagged
