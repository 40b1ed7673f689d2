import uuid

from django.db import models
from django.utils import timezone

from clinical_photos.photos import crypto

# Bump when the words the patient agrees to change; each response keeps the version it saw.
CONSENT_VERSION = "2026-12-01.1"


class ResponseKind(models.TextChoices):
    PHOTOS = "photos", "Photos sent"
    DECLINED = "declined", "Chose not to send photos"


class PatientResponse(models.Model):
    """A patient's answer to a request: photos sent, or a choice not to send any.

    One per request (the one-to-one is what lets exactly one of two racing answers win).
    Everything the patient wrote is encrypted at rest.
    """

    Kind = ResponseKind

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="patient_responses"
    )
    photo_request = models.OneToOneField(
        "photo_requests.PhotoRequest", on_delete=models.PROTECT, related_name="response"
    )
    link = models.ForeignKey(
        "photo_requests.PatientLink", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The note to the practice, or the reason for not sending photos: encrypted, may be empty.
    text_encrypted = models.BinaryField(null=True)
    consent_version = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["practice", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ResponseKind.values), name="response_kind_known"
            ),
            # Sending photos is consent to storing them: the words agreed to are always known.
            models.CheckConstraint(
                condition=~models.Q(kind=ResponseKind.PHOTOS, consent_version=""),
                name="photos_sent_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for request {self.photo_request_id}"

    @property
    def text(self) -> str:
        """The patient's note, or their reason for not sending photos; empty if they gave none."""
        if not self.text_encrypted:
            return ""
        return crypto.decrypt_text(bytes(self.text_encrypted), aad=self._text_aad())

    @text.setter
    def text(self, value: str) -> None:
        value = value.strip()
        self.text_encrypted = crypto.encrypt_text(value, aad=self._text_aad()) if value else None

    def _text_aad(self) -> bytes:
        # Bound to this answer, so the ciphertext cannot be moved onto another one.
        return f"response:{self.id}".encode()
