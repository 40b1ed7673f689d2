import uuid

from django.db import models
from django.utils import timezone

from . import crypto


class TextMessageQuerySet(models.QuerySet):
    def in_outbox(self) -> "TextMessageQuerySet":
        """Texts kept for the demo outbox page rather than sent, newest first."""
        return self.filter(backend="outbox").order_by("-created_at")


class TextStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Not delivered"


class TextMessage(models.Model):
    """One text message to a patient, and what became of it.

    queued -> sent -> delivered | failed. A text kept in the demo outbox is delivered at once.
    """

    Status = TextStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="text_messages"
    )
    photo_request = models.ForeignKey(
        "photo_requests.PhotoRequest", on_delete=models.PROTECT, related_name="text_messages"
    )
    to = models.CharField(max_length=16)
    # The text holds the patient's link, so it is kept encrypted (see crypto.py), and once GOV.UK
    # Notify has it, only a copy with the link taken out is kept. Read and write it as `body`.
    body_encrypted = models.TextField(editable=False)
    body_redacted = models.BooleanField(default=False, editable=False)
    backend = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Why it failed, in words for staff, with no personal data.
    failure_reason = models.CharField(max_length=200, blank=True)
    provider_reference = models.CharField(max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TextMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=TextStatus.values), name="text_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"text {self.id} ({self.status})"

    @property
    def body(self) -> str:
        """The text as sent (or, after sending through Notify, with "[link]" for the link).

        Raises crypto.UnreadableBody if SECRET_KEY changed with no fallback to the old one.
        """
        return crypto.decrypt(self.body_encrypted)

    @body.setter
    def body(self, text: str) -> None:
        self.body_encrypted = crypto.encrypt(text)

    @property
    def readable_body(self) -> str | None:
        """The body, or None when it can no longer be decrypted (for pages, never a 500)."""
        try:
            return self.body
        except crypto.UnreadableBody:
            return None


class StaffEmail(models.Model):
    """An email to a member of staff, kept by the demo's mailbox instead of being sent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
