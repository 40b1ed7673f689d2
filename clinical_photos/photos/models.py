"""Photos a patient sends: stored encrypted, never under a public URL, checked on every read."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Label(models.TextChoices):
    WHERE = "where", "Where it is"
    CLOSE_UP = "close_up", "Close-up"


class Photo(models.Model):
    """One photo as stored: the processed image, encrypted with a key of its own.

    It belongs to the link it was chosen through until the patient sends it; sending sets
    its response in the same transaction that records the response, so staff only ever see
    whole submissions.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="photos"
    )
    link = models.ForeignKey(
        "photo_requests.PatientLink", on_delete=models.PROTECT, related_name="photos"
    )
    response = models.ForeignKey(
        "patient_upload.PatientResponse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="photos",
    )
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=10, choices=Label.choices, default=Label.CLOSE_UP)
    # What the patient's phone sent, and what is stored after processing.
    original_format = models.CharField(max_length=10)
    original_size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    # SHA-256 of the stored (processed, unencrypted) bytes; checked whenever they are read.
    sha256 = models.CharField(max_length=64)
    blob_name = models.CharField(max_length=100, unique=True)
    # The photo's own AES-256-GCM key, wrapped by a key-encryption key named by key_id.
    # Destroying the wrapped key makes the photo unreadable for good.
    key_id = models.CharField(max_length=40)
    wrapped_key = models.BinaryField(null=True)
    # In the record: set when filed, the body site from the request; clinicians may correct
    # the site and name the condition (each change audited).
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    body_site_code = models.CharField(max_length=20, blank=True)
    condition = models.CharField(max_length=100, blank=True)
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A removed photo leaves this tombstone; its key is destroyed, so its bytes are gone.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removal_reason = models.TextField(blank=True)
    # A small JPEG for the timeline, sealed under the photo's own key (so destroying that key
    # destroys it too) with associated data of its own. Empty for photos stored before
    # previews were made at upload; the timeline makes theirs when it shows them.
    preview_ciphertext = models.BinaryField(null=True, blank=True)
    # The quality checks' verdict (quality.PROBLEMS codes) and the measures behind it.
    problems = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "created_at"]
        indexes = [models.Index(fields=["patient", "body_site_code", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(label__in=Label.values), name="photo_label_known"),
            # A removal always says who, when and why (the Caldicott Guardian reads it).
            models.CheckConstraint(
                condition=Q(removed_at=None, removed_by=None, removal_reason="")
                | (Q(removed_at__isnull=False, removed_by__isnull=False) & ~Q(removal_reason="")),
                name="photo_removal_says_who_when_and_why",
            ),
            models.CheckConstraint(
                condition=Q(entered_in_error_at=None, entered_in_error_by=None)
                | Q(entered_in_error_at__isnull=False, entered_in_error_by__isnull=False),
                name="photo_entered_in_error_says_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"photo {self.id}"
