"""The links clinicians send patients to see their own photos."""

from django.db import models
from django.db.models import Q

from clinical_photos.patient_links.models import LinkState, PatientLinkBase


class PatientViewLink(PatientLinkBase):
    """A link to see one's own photos of one body site (patient_links.models says what every
    link has). Sending a new link for the same site replaces the one before it; a clinician
    can also stop a link at once (revoke it)."""

    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="patient_view_links"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="view_links"
    )
    body_site_code = models.CharField(max_length=20)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    revoked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(PatientLinkBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "body_site_code"],
                condition=Q(replaced_at__isnull=True, revoked_at__isnull=True),
                name="one_current_view_link_per_patient_and_site",
            ),
            # Who stopped a link is known exactly when it was stopped.
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="patient_view_link_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"patient view link {self.id}"

    @property
    def can_be_stopped(self) -> bool:
        """Working, or locked (stopping it then says plainly that it is over); a link that has
        expired, been replaced or been stopped already has nothing left to stop."""
        return self.state() in (LinkState.OPEN, LinkState.LOCKED)

    def audit_as(self) -> dict:
        # No one is logged in: the entry names the link, at the patient's practice.
        return {"practice": self.practice, "target": self}
