"""One append-only, hash-chained log of who did what to which record, and when.

Each entry holds the SHA-256 of the entry before it, so changing or removing an entry breaks
the chain at that point; `manage.py verify_audit` finds where. Entries are written only by
`clinical_photos.audit.services.record`, inside the transaction of the change they describe.
"""

import hashlib
import json

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Failed to log in"
    LOGOUT = "logout", "Logged out"
    SECOND_FACTOR_SET_UP = "second_factor_set_up", "Set up a second factor"
    PASSWORD_CHANGED = "password_changed", "Changed their password"
    USER_CREATED = "user_created", "Added a user"
    USER_DISABLED = "user_disabled", "Disabled a user"
    USER_ENABLED = "user_enabled", "Enabled a user"
    PRACTICE_SETTINGS_CHANGED = "practice_settings_changed", "Changed the practice's settings"
    TEMPLATE_CREATED = "template_created", "Added a request template"
    TEMPLATE_CHANGED = "template_changed", "Changed a request template"
    PATIENT_CREATED = "patient_created", "Added a patient"
    PATIENT_VIEWED = "patient_viewed", "Viewed a patient"
    PATIENT_SEARCHED = "patient_searched", "Searched for patients"
    REQUEST_CREATED = "request_created", "Asked for photos"
    REQUEST_VIEWED = "request_viewed", "Viewed a photo request"
    REQUEST_CANCELLED = "request_cancelled", "Cancelled a photo request"
    REQUEST_RESENT = "request_resent", "Sent a photo request again"
    TEXT_SENT = "text_sent", "Sent a text message"
    TEXT_FAILED = "text_failed", "A text message failed"
    TEXT_DELIVERED = "text_delivered", "A text message was delivered"
    OUTBOX_VIEWED = "outbox_viewed", "Viewed the outbox"
    LINK_OPENED = "link_opened", "The patient opened their link"
    DATE_OF_BIRTH_WRONG = "date_of_birth_wrong", "A wrong date of birth was given"
    LINK_LOCKED = "link_locked", "The link was locked after wrong dates of birth"
    PATIENT_VERIFIED = "patient_verified", "The patient gave the right date of birth"
    PHOTO_ADDED = "photo_added", "The patient added a photo"
    PHOTO_REMOVED = "photo_removed", "The patient removed a photo before sending"
    PHOTOS_SENT = "photos_sent", "The patient sent photos"
    PHOTOS_DECLINED = "photos_declined", "The patient chose not to send photos"
    INBOX_VIEWED = "inbox_viewed", "Viewed the practice inbox"
    MAILBOX_VIEWED = "mailbox_viewed", "Viewed the demo mailbox"
    EMAIL_SENT = "email_sent", "Sent an email to staff"
    FILING_VIEWED = "filing_viewed", "Opened a submission to file it"
    SUBMISSION_FILED = "submission_filed", "Filed photos into a patient's record"
    PHOTO_VIEWED = "photo_viewed", "Viewed a photo"
    PHOTO_VIEW_REFUSED = "photo_view_refused", "Was refused a photo"
    TIMELINE_VIEWED = "timeline_viewed", "Viewed a patient's photos"
    PHOTOS_COMPARED = "photos_compared", "Compared two photos"
    PHOTO_DETAILS_CHANGED = "photo_details_changed", "Changed a photo's body site or condition"
    PHOTO_ENTERED_IN_ERROR = "photo_entered_in_error", "Marked a photo entered in error"
    PHOTO_REMOVED_FROM_RECORD = "photo_removed_from_record", "Removed a photo from the record"
    CALDICOTT_GUARDIAN_TOLD = "caldicott_guardian_told", "Told the Caldicott Guardian"
    RECORD_EXPORTED = "record_exported", "Exported a patient's photos (subject access)"
    PATIENT_VIEW_LINK_SENT = "patient_view_link_sent", "Sent a patient a link to their photos"
    PATIENT_VIEW_LINK_REVOKED = "patient_view_link_revoked", "Stopped a patient's link to photos"
    PATIENT_VIEWED_OWN_PHOTOS = "patient_viewed_own_photos", "The patient viewed their photos"
    REVIEW_OPENED = "review_opened", "Photos went to clinical review"
    REVIEW_VIEWED = "review_viewed", "Opened photos to review them"
    REVIEW_ASSIGNED = "review_assigned", "Assigned photos to a clinician to review"
    REVIEW_OVERDUE = "review_overdue", "Photos not reviewed in time were flagged"
    REVIEW_RECORDED = "review_recorded", "Recorded the outcome of a review"
    FOLLOW_UPS_STARTED = "follow_ups_started", "Asked for follow-up photos on a schedule"
    FOLLOW_UP_SENT = "follow_up_sent", "Sent a follow-up request on its date"
    FOLLOW_UPS_STOPPED = "follow_ups_stopped", "Stopped follow-up requests"


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(editable=False)
    # Exactly one of these says who acted: a member of staff, a patient's link, or the service.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    patient_link = models.ForeignKey(
        "photo_requests.PatientLink", null=True, on_delete=models.PROTECT, related_name="+"
    )
    practice = models.ForeignKey(
        "accounts.Practice", null=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # Only identifiers and codes: no name, NHS number, date of birth, phone number or token.
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be removed.")

    def canonical(self) -> bytes:
        """The bytes the hash covers: every field that says what happened, in a fixed order."""
        return json.dumps(
            {
                "sequence": self.sequence,
                "at": self.at.isoformat(),
                "user": self.user_id,
                "patient_link": self.patient_link_id,
                "practice": self.practice_id,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "detail": self.detail,
                "previous_hash": self.previous_hash,
            },
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


class AuditChainHead(models.Model):
    """A single row that holds the end of the chain.

    Locking it serialises writers, so two transactions can never both chain onto the same
    entry, and it lets `verify_audit` notice when the newest entries were removed.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain at #{self.last_sequence}"
