"""Sending a queued text, in the background, with retries.

The task takes only the text's id: its arguments are stored in the task queue's table, where
neither the phone number nor the link may go.
"""

import logging
from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from . import services
from .backends import PermanentFailure, TemporaryFailure, get_backend
from .crypto import UnreadableBody
from .models import TextMessage

logger = logging.getLogger(__name__)

# Waits between tries when GOV.UK Notify is down or busy: 30s, 2m, 8m and 32m, so 5 tries over
# about 42 minutes before staff are told the text was not sent.
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=8),
    timedelta(minutes=32),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


@task
def send_text_message(message_id: str) -> str:
    """Send one queued text. Safe to run again: a text that was sent or failed is left alone."""
    message = TextMessage.objects.filter(pk=message_id).first()
    if message is None:
        logger.warning("Text message %s no longer exists; nothing to send.", message_id)
        return "missing"
    if message.status != TextMessage.Status.QUEUED:
        return f"already {message.status}"
    backend = get_backend(message.backend)
    try:
        body = message.body
    except UnreadableBody:
        services.mark_failed(
            message.id,
            reason="The text could not be read after the service's keys changed. "
            "Send the request again.",
        )
        return "failed"
    try:
        provider_reference = backend.send(to=message.to, body=body, reference=str(message.id))
    except PermanentFailure as failure:
        logger.warning("Text message %s was refused and will not be sent.", message.id)
        services.mark_failed(message.id, reason=failure.reason)
        return "failed"
    except TemporaryFailure as failure:
        message = services.record_failed_attempt(
            message.id, reason=failure.reason, max_attempts=MAX_ATTEMPTS
        )
        if message.status == TextMessage.Status.FAILED:
            logger.warning("Text message %s failed after %s tries.", message.id, message.attempts)
            return "failed"
        logger.info("Text message %s will be tried again (try %s).", message.id, message.attempts)
        _try_again_later(str(message.id), attempts_so_far=message.attempts)
        return "retrying"
    services.mark_sent(message.id, provider_reference=provider_reference, backend=backend)
    return "sent"


def _try_again_later(message_id: str, *, attempts_so_far: int) -> None:
    delay = RETRY_DELAYS[min(attempts_so_far, len(RETRY_DELAYS)) - 1]
    if send_text_message.get_backend().supports_defer:
        send_text_message.using(run_after=timezone.now() + delay).enqueue(message_id)
    else:
        # A backend that cannot wait (Django's ImmediateBackend, used by the tests) runs the
        # next try at once. It still stops after MAX_ATTEMPTS, because the count is kept on
        # the text, not in the task.
        send_text_message.enqueue(message_id)
