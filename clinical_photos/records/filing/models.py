"""What was filed into a patient's record, by whom, and why."""

import uuid

from django.db import models
from django.utils import timezone


class Filing(models.Model):
    """A patient's answer filed into a patient's record, by staff who never saw the photos.

    Normally the record is the requested patient's. Filing into another patient's record (the
    wrong patient was asked) is for clinicians only, and needs a reason.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="filings"
    )
    response = models.OneToOneField(
        "patient_upload.PatientResponse", on_delete=models.PROTECT, related_name="filing"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="filings"
    )
    filed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"filing {self.id}"
