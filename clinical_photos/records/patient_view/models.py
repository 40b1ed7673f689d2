"""The links clinicians send patients to see their own photos."""

import uuid

from django.db import models
from django.utils import timezone


class PatientViewLink(models.Model):
    """A link a clinician sends a patient to see their own photos of one body site."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="patient_view_links"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="view_links"
    )
    body_site_code = models.CharField(max_length=20)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_date_of_birth_attempts = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"patient view link {self.id}"
