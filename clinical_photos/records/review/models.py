"""A clinician's review of filed photos: who has it, by when, and what they decided."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Outcome(models.TextChoices):
    NO_ACTION = "no_action", "Reviewed, no action needed"
    CONTACT_PATIENT = "contact_patient", "Will contact the patient"
    FOLLOW_UP = "follow_up", "Follow-up photos asked for"
    BETTER_PHOTOS = "better_photos", "Better photos asked for now"
    SEEN_URGENTLY = "seen_urgently", "Patient to be seen urgently"


class ReviewQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(reviewed_at=None)

    def overdue(self, now=None):
        return self.waiting().filter(due_at__lte=now or timezone.now())


class Review(models.Model):
    """Filed photos waiting for, or given, a clinician's look. One per filing.

    `assigned_to` is the clinician who has it; None while it waits in the practice's queue,
    for any clinician to take. It is due by the end of the practice's set number of working
    days after filing; when that passes unreviewed it is flagged (`flagged_at`) once.
    """

    Outcome = Outcome

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="reviews"
    )
    filing = models.OneToOneField("records.Filing", on_delete=models.PROTECT, related_name="review")
    assigned_to = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    flagged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # The clinician's words for colleagues, never shown to the patient.
    outcome_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # What the outcome started: the new request (better photos now) or the series (follow-up).
    new_request = models.OneToOneField(
        "photo_requests.PhotoRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="asked_for_by_review",
    )
    follow_up_series = models.OneToOneField(
        "photo_requests.FollowUpSeries",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="started_by_review",
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        indexes = [
            # The header's count on every clinician's page, and the queue.
            models.Index(
                fields=["practice", "assigned_to"],
                condition=Q(reviewed_at=None),
                name="review_waiting",
            ),
        ]
        constraints = [
            # An outcome always says who gave it and when; a waiting review has none.
            models.CheckConstraint(
                condition=Q(outcome="", reviewed_by=None, reviewed_at=None)
                | (
                    Q(outcome__in=Outcome.values)
                    & Q(reviewed_by__isnull=False, reviewed_at__isnull=False)
                ),
                name="review_outcome_says_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(new_request=None) | Q(outcome=Outcome.BETTER_PHOTOS),
                name="review_new_request_only_for_better_photos",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_series=None) | Q(outcome=Outcome.FOLLOW_UP),
                name="review_series_only_for_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"review {self.id}"

    @property
    def is_done(self) -> bool:
        return self.reviewed_at is not None
