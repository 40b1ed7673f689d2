"""Making, finding, checking and ending the links patients are texted, whatever they are for.

The token is made here and leaves only in the text message: the service keeps its SHA-256, so a
copy of the database cannot be used to open anyone's link. Each change a patient or member of
staff makes to a link is one transaction with its audit entry.
"""

import secrets
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record

from .date_of_birth import MAX_ATTEMPTS, DateOfBirthResult, dates_match, tries_left
from .models import PatientLinkBase

# 18 random bytes: 144 bits, above the 128 a link must have, in 24 url-safe characters.
TOKEN_BYTES = 18
# Longer than any token this service makes; a longer one is not looked up at all.
LONGEST_TOKEN = 100


def issue(model: type[PatientLinkBase], *, lifetime_days: int, **fields):
    """A new link of `model` and its token, which the caller texts and never keeps.

    Call it inside the transaction that sends the text.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    link = model.objects.create(
        token_sha256=model.hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
        **fields,
    )
    return link, token


def replace_current(links, *, at=None) -> int:
    """Stop the current links among `links` (a queryset) because a new one takes their place."""
    return links.current().update(replaced_at=at or timezone.now())


def find(model: type[PatientLinkBase], token: str, *, related=()):
    """The link with this token, or None."""
    if not token or len(token) > LONGEST_TOKEN:
        return None
    return (
        model.objects.select_related(*related).filter(token_sha256=model.hash_token(token)).first()
    )


def by_id(model: type[PatientLinkBase], link_id: str | None, *, related=()):
    """The link a patient's session names (patients' pages have no practice to start from)."""
    if not link_id:
        return None
    return model.objects.select_related(*related).filter(id=link_id).first()


def record_opened(link: PatientLinkBase) -> None:
    with transaction.atomic():
        record(Action.LINK_OPENED, **link.audit_as())


def check_date_of_birth(
    model: type[PatientLinkBase], link: PatientLinkBase | None, given: date
) -> DateOfBirthResult:
    """The patient's date of birth against the link's patient. Five wrong ones lock the link."""
    with transaction.atomic():
        if link is None:
            # Same work as a wrong date for a real link: a comparison and a locked update.
            dates_match(None, given)
            model.objects.select_for_update(no_key=True).filter(pk=None).update(
                failed_date_of_birth_attempts=0
            )
            return DateOfBirthResult(verified=False)
        # no_key: the audit entry may refer to this row (audit/services.py says why).
        locked = model.objects.select_for_update(no_key=True).get(pk=link.pk)
        if locked.locked_at is not None:
            return DateOfBirthResult(verified=False, locked=True)
        if dates_match(link.patient.date_of_birth, given):
            record(Action.PATIENT_VERIFIED, **link.audit_as())
            return DateOfBirthResult(verified=True)
        locked.failed_date_of_birth_attempts += 1
        if locked.failed_date_of_birth_attempts >= MAX_ATTEMPTS:
            locked.locked_at = timezone.now()
        locked.save(update_fields=["failed_date_of_birth_attempts", "locked_at"])
        record(
            Action.LINK_LOCKED if locked.locked_at else Action.DATE_OF_BIRTH_WRONG,
            **link.audit_as(),
            detail={"attempts": locked.failed_date_of_birth_attempts},
        )
        return DateOfBirthResult(
            verified=False,
            locked=locked.locked_at is not None,
            tries_left=tries_left(locked.failed_date_of_birth_attempts),
        )
