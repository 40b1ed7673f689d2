import hashlib
import uuid

from django.db import models
from django.utils import timezone

from . import body_sites

NOTE_MAX_LENGTH = 600


class RequestTemplate(models.Model):
    """A practice's kind of request ("Rash", "Mole"), with the words the patient will read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="request_templates"
    )
    name = models.CharField("Name", max_length=60)
    patient_message = models.TextField("What the patient reads", max_length=600)
    admins_may_use = models.BooleanField("The admin team may use this template", default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="template_name_per_practice")
        ]

    def __str__(self) -> str:
        return self.name


class PhotoRequestQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-created_at")


class PhotoRequest(models.Model):
    """A member of staff asking one patient for photos of one problem."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for photos"
        CANCELLED = "cancelled", "Cancelled"
        ANSWERED = "answered", "Photos sent"
        DECLINED = "declined", "Patient chose not to send photos"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="photo_requests"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="photo_requests"
    )
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="photo_requests"
    )
    template = models.ForeignKey(RequestTemplate, on_delete=models.PROTECT, related_name="+")
    # The template's words as the patient was sent them, even if the template changes later.
    reason = models.TextField()
    note_to_patient = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    body_site_codes = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PhotoRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["practice", "-created_at"]),
            # The inbox counts the practice's requests that need attention on every page.
            models.Index(fields=["practice", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} for {self.patient}"

    @property
    def body_sites(self) -> list[body_sites.BodySite]:
        return [site for code in self.body_site_codes if (site := body_sites.get(code))]

    @property
    def current_link(self) -> "PatientLink | None":
        return self.links.filter(replaced_at__isnull=True).order_by("-created_at").first()

    @property
    def latest_text(self):
        return self.text_messages.order_by("-created_at").first()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class PatientLink(models.Model):
    """One link sent to the patient. Only the SHA-256 of its token is kept.

    Sending a request again makes a new link and marks the old one replaced, so the patient who
    opens an old text can be told why it no longer works.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    photo_request = models.ForeignKey(PhotoRequest, on_delete=models.PROTECT, related_name="links")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    replaced_at = models.DateTimeField(null=True, blank=True)
    # Wrong dates of birth given through this link; at the limit the link stops working.
    failed_date_of_birth_attempts = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    # The patient's note to the practice while they choose photos, encrypted.
    draft_note_encrypted = models.BinaryField(null=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"link {self.id} for request {self.photo_request_id}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
