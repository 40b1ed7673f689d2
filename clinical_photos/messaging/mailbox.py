"""The demo's mailbox: emails to staff are kept in the database and shown on a staff page.

The demo sets MAILERS = {"default": {"BACKEND": "clinical_photos.messaging.mailbox.MailboxBackend"}}
(Django 6.1's MAILERS; the older EMAIL_BACKEND setting is understood too). Production sends
through a real mail server instead, and the page answers 404 there.
"""

import warnings

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record

from .models import StaffEmail
from .presenters import TextPart
from .presenters import _lines as text_lines

BACKEND_PATH = "clinical_photos.messaging.mailbox.MailboxBackend"
SHOWN = 100


class MailboxBackend(BaseEmailBackend):
    """Keeps one StaffEmail per recipient of each message, instead of sending it."""

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            recipients = message.recipients()
            if not recipients:
                continue
            body = message.body if isinstance(message.body, str) else str(message.body)
            StaffEmail.objects.bulk_create(
                StaffEmail(to=to.lower(), subject=message.subject[:200], body=body)
                for to in recipients
            )
            sent += 1
        return sent


def is_enabled() -> bool:
    """Whether emails are kept here (the default mailer is this backend) rather than sent."""
    if hasattr(settings, "MAILERS"):
        return settings.MAILERS.get("default", {}).get("BACKEND") == BACKEND_PATH
    with warnings.catch_warnings():
        # Django 6.1 warns on reading EMAIL_BACKEND; settings without MAILERS still use it.
        warnings.simplefilter("ignore")
        return settings.EMAIL_BACKEND == BACKEND_PATH


def emails_for(user) -> list[StaffEmail]:
    """The newest emails to this user's own address: nobody reads another person's mail."""
    return list(StaffEmail.objects.filter(to__iexact=user.email).order_by("-created_at")[:SHOWN])


def record_mailbox_viewed(*, by, shown: int) -> None:
    with transaction.atomic():
        record(Action.MAILBOX_VIEWED, user=by, detail={"emails_shown": shown})


def email_lines(body: str) -> list[list[TextPart]]:
    """The email line by line, the service's own links made clickable (as in the outbox)."""
    return text_lines(body)
