"""Every change to a text message, each in one transaction with its audit entry.

Other apps call `queue_text`; the task (tasks.py) and the Notify callback (views.py) call the
rest. No function here logs or audits the body, the phone number or the link.
"""

import uuid
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record

from . import text
from .backends import SmsBackend, get_backend
from .models import TextMessage

Status = TextMessage.Status


class UnknownReceiptStatus(ValueError):
    """A delivery receipt with a status GOV.UK Notify does not send."""


# GOV.UK Notify's final statuses for a text, and what staff are told when it did not arrive.
# (https://docs.notifications.service.gov.uk/python.html#status-text-message)
RECEIPT_FAILURE_REASONS = {
    "permanent-failure": (
        "The phone network says this number does not exist or cannot get texts. "
        "Check the number with the patient."
    ),
    "temporary-failure": (
        "The patient's phone did not get the text within 3 days. It may have been switched "
        "off, out of signal or full. You can send the request again."
    ),
    "technical-failure": (
        "GOV.UK Notify had a technical problem and did not send the text. "
        "You can send the request again."
    ),
}
# Statuses that say the text is still on its way; they change nothing.
RECEIPT_IN_PROGRESS = {"created", "sending", "pending", "sent"}


def queue_text(*, photo_request, to: str, body: str) -> TextMessage:
    """Keep a text for `photo_request`'s patient and queue it to be sent.

    Call it inside the transaction that creates or resends the request: with the database task
    backend the task's row commits with the request, or neither does. (No on_commit hook: that
    would lose the text if the process stopped between the commit and the hook.)
    """
    from .tasks import send_text_message  # tasks.py imports this module

    backend = get_backend()
    with transaction.atomic():
        message = TextMessage(
            practice=photo_request.practice,
            photo_request=photo_request,
            to=to,
            backend=backend.name,
        )
        message.body = body
        message.save()
        send_text_message.enqueue(str(message.id))
    # A backend that runs tasks at once (ImmediateBackend in tests) has sent it by now.
    message.refresh_from_db()
    return message


def mark_sent(message_id, *, provider_reference: str, backend: SmsBackend) -> TextMessage:
    """The provider accepted the text. Keeps only a redacted body unless the backend needs it."""
    with transaction.atomic():
        message = TextMessage.objects.select_for_update().get(pk=message_id)
        if message.sent_at is not None:
            return message
        now = timezone.now()
        message.sent_at = now
        message.attempts += 1
        message.failure_reason = ""
        message.provider_reference = provider_reference
        if not backend.keeps_full_body:
            message.body = text.redact_link(message.body)
            message.body_redacted = True
        # A delivery receipt may have come back before this transaction: keep what it said.
        if message.status == Status.QUEUED:
            message.status = Status.DELIVERED if backend.delivers_on_send else Status.SENT
            if backend.delivers_on_send:
                message.delivered_at = now
        message.save()
        detail = {
            "photo_request": str(message.photo_request_id),
            "backend": backend.name,
            "attempts": message.attempts,
        }
        record(Action.TEXT_SENT, practice=message.practice, target=message, detail=detail)
        if backend.delivers_on_send:
            record(Action.TEXT_DELIVERED, practice=message.practice, target=message, detail=detail)
        return message


def record_failed_attempt(message_id, *, reason: str, max_attempts: int) -> TextMessage:
    """A try that may work later. After `max_attempts` tries the text is marked failed."""
    with transaction.atomic():
        message = TextMessage.objects.select_for_update().get(pk=message_id)
        if message.status != Status.QUEUED:
            return message
        message.attempts += 1
        if message.attempts >= max_attempts:
            last_problem = reason.removesuffix(" It will try again.")
            reason = f"Not sent after {message.attempts} tries. {last_problem}"
            return _fail(message, reason=reason)
        message.failure_reason = reason
        message.save(update_fields=["attempts", "failure_reason", "updated_at"])
        return message


def mark_failed(message_id, *, reason: str) -> TextMessage:
    """A try that cannot work: the text will not be sent."""
    with transaction.atomic():
        message = TextMessage.objects.select_for_update().get(pk=message_id)
        if message.status != Status.QUEUED:
            return message
        message.attempts += 1
        return _fail(message, reason=reason)


def _fail(message: TextMessage, *, reason: str, detail: dict | None = None) -> TextMessage:
    message.status = Status.FAILED
    message.failure_reason = reason[:200]
    message.save()
    record(
        Action.TEXT_FAILED,
        practice=message.practice,
        target=message,
        detail={
            "photo_request": str(message.photo_request_id),
            "backend": message.backend,
            "attempts": message.attempts,
            "reason": message.failure_reason,
            **(detail or {}),
        },
    )
    return message


def record_delivery_receipt(
    *,
    notification_id: str,
    reference: str | None,
    status: str,
    completed_at: str | None = None,
) -> TextMessage | None:
    """Apply GOV.UK Notify's delivery receipt. None when no text of ours matches it.

    Receipts may repeat or arrive out of order, so a text that is already delivered or failed
    stays as it is, and a repeated receipt writes no second audit entry.
    """
    if status not in RECEIPT_FAILURE_REASONS and status != "delivered":
        if status in RECEIPT_IN_PROGRESS:
            return _find_for_receipt(notification_id, reference)
        raise UnknownReceiptStatus(status)
    with transaction.atomic():
        found = _find_for_receipt(notification_id, reference)
        if found is None:
            return None
        message = TextMessage.objects.select_for_update().get(pk=found.pk)
        if message.status not in (Status.QUEUED, Status.SENT):
            return message
        if not message.provider_reference:
            message.provider_reference = notification_id
        detail = {"photo_request": str(message.photo_request_id), "notify_status": status}
        if status == "delivered":
            message.status = Status.DELIVERED
            message.delivered_at = _parse_time(completed_at)
            message.failure_reason = ""
            message.save()
            record(Action.TEXT_DELIVERED, practice=message.practice, target=message, detail=detail)
            return message
        return _fail(message, reason=RECEIPT_FAILURE_REASONS[status], detail=detail)


def _find_for_receipt(notification_id: str, reference: str | None) -> TextMessage | None:
    """By Notify's id for the text, or else by our reference (the text's id) sent with it."""
    sent_by_notify = TextMessage.objects.filter(backend="notify")
    if notification_id:
        found = sent_by_notify.filter(provider_reference=notification_id).first()
        if found is not None:
            return found
    if reference:
        try:
            our_id = uuid.UUID(str(reference))
        except ValueError:
            return None
        return sent_by_notify.filter(pk=our_id).first()
    return None


def _parse_time(value: str | None) -> datetime:
    try:
        parsed = parse_datetime(value) if value else None
    except ValueError:
        parsed = None
    if parsed is None:
        return timezone.now()
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


def record_outbox_viewed(*, by, shown: int) -> None:
    """Staff opened the outbox, which shows patients' numbers and working links."""
    with transaction.atomic():
        record(Action.OUTBOX_VIEWED, user=by, detail={"messages_shown": shown})
