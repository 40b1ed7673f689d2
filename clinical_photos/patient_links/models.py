"""What every link texted to a patient has, whatever it is for.

A patient gets a link to send photos (photo_requests.PatientLink) or to see their own photos
(records.PatientViewLink). Both are the same kind of thing, defined once here: a random token
kept only as its SHA-256, an expiry, a date-of-birth check that locks the link after too many
wrong answers, and an end that staff can bring about early (revoking it, or sending a new link
that replaces it). What a link is for adds its own fields and, where its purpose can end it (a
request cancelled or answered), its own states.
"""

import enum
import hashlib
import uuid

from django.db import models
from django.utils import timezone


class LinkState(enum.StrEnum):
    OPEN = "open"
    UNKNOWN = "unknown"  # no link has this token
    CANCELLED = "cancelled"  # what it was for is no longer wanted
    USED = "used"  # it has done its one job
    REVOKED = "revoked"  # staff stopped it
    REPLACED = "replaced"  # a newer link took its place
    LOCKED = "locked"  # too many wrong dates of birth
    EXPIRED = "expired"


class PatientLinkQuerySet(models.QuerySet):
    """The states a query can test, written beside `PatientLinkBase.state`, which tests the
    same in Python; patient_links/tests/test_states.py holds the two to the same answers."""

    def current(self):
        """Links no one has stopped or replaced: the one a patient should be using."""
        return self.filter(revoked_at__isnull=True, replaced_at__isnull=True)

    def locked(self):
        return self.filter(locked_at__isnull=False)

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class PatientLinkBase(models.Model):
    """A link texted to a patient. Only the SHA-256 of its token is kept.

    Subclasses provide `patient` and `practice` (whose link it is), `audit_as()` (how the
    patient's steps through it are recorded) and, where their purpose can end the link,
    `ended_state()`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Wrong dates of birth given through this link; at the limit the link stops working.
    failed_date_of_birth_attempts = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    objects = PatientLinkQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_current(self) -> bool:
        """Not stopped and not replaced (in Python what `PatientLinkQuerySet.current` asks)."""
        return self.revoked_at is None and self.replaced_at is None

    def audit_as(self) -> dict:
        """The `audit.services.record` arguments that say who acted and on what."""
        raise NotImplementedError

    def ended_state(self) -> LinkState | None:
        """A state the link's purpose decides before any other; None when it decides none."""
        return None

    def state(self, now=None) -> LinkState:
        """Whether the link works, and if not, why not (the patient is told)."""
        if (ended := self.ended_state()) is not None:
            return ended
        if self.revoked_at is not None:
            return LinkState.REVOKED
        if self.replaced_at is not None:
            return LinkState.REPLACED
        if self.locked_at is not None:
            return LinkState.LOCKED
        if self.expires_at <= (now or timezone.now()):
            return LinkState.EXPIRED
        return LinkState.OPEN


def state_of(link: PatientLinkBase | None) -> LinkState:
    return LinkState.UNKNOWN if link is None else link.state()
