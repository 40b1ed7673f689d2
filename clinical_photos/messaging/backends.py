"""How a text leaves the service: one interface, two backends.

- "outbox" keeps the text for the staff outbox page (the demo, and tests). Nothing is sent.
- "notify" sends it through GOV.UK Notify, through Notify's own Python client.

The GOV.UK Notify SMS template (NOTIFY_SMS_TEMPLATE_ID) must be exactly "((message))" and
nothing else, so that every word the patient reads lives in text.py, is reviewed with the code
and is tested. Switch off "Start all text messages with your service name" in Notify's settings
too: the text already says which practice is asking.

Nothing here logs the body, the phone number or the link.
"""

import logging
import uuid
from typing import Protocol

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from notifications_python_client.errors import APIError, HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

logger = logging.getLogger(__name__)

# Seconds to wait for Notify before trying again later: a worker stuck on one text holds up
# every text behind it.
NOTIFY_TIMEOUT = 15


class SendFailure(Exception):
    """A text was not sent. `reason` is for staff and holds no personal data."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TemporaryFailure(SendFailure):
    """Worth trying again later: the provider could not be reached, was busy or had an error."""


class PermanentFailure(SendFailure):
    """Trying again will not help: the number was refused, or the service is misconfigured."""


class SmsBackend(Protocol):
    name: str
    # The text counts as delivered as soon as send() returns (there is no delivery receipt).
    delivers_on_send: bool
    # The full text, link included, is kept after sending (staff open the link from the outbox).
    keeps_full_body: bool

    def send(self, *, to: str, body: str, reference: str) -> str:
        """Send (or keep) the text; return the provider's reference for it.

        Raises TemporaryFailure or PermanentFailure.
        """
        ...


class OutboxBackend:
    """Keeps texts in the database for the staff outbox page instead of sending them."""

    name = "outbox"
    delivers_on_send = True
    keeps_full_body = True

    def send(self, *, to: str, body: str, reference: str) -> str:
        # The TextMessage row is the outbox: nothing else to store.
        return f"outbox-{uuid.uuid4()}"


class NotifyBackend:
    """Sends texts through GOV.UK Notify. Delivery receipts arrive at the notify_callback view."""

    name = "notify"
    delivers_on_send = False
    keeps_full_body = False

    def __init__(
        self,
        *,
        api_key: str | None = None,
        template_id: str | None = None,
        base_url: str | None = None,
    ):
        self.api_key = settings.NOTIFY_API_KEY if api_key is None else api_key
        self.template_id = settings.NOTIFY_SMS_TEMPLATE_ID if template_id is None else template_id
        self.base_url = settings.NOTIFY_BASE_URL if base_url is None else base_url

    def send(self, *, to: str, body: str, reference: str) -> str:
        # The client takes the service id and the secret from the key's last 73 characters.
        if len(self.api_key) < 74 or not self.template_id:
            raise PermanentFailure(
                "The service is not set up to send texts (GOV.UK Notify key or template "
                "missing). Tell your IT support."
            )
        client = NotificationsAPIClient(
            self.api_key, base_url=self.base_url, timeout=NOTIFY_TIMEOUT
        )
        try:
            response = client.send_sms_notification(
                phone_number=to,
                template_id=self.template_id,
                personalisation={"message": body},
                reference=reference,
            )
        except HTTPError as error:
            raise _failure_for(error) from error
        except APIError as error:
            # Notify answered 2xx without JSON: most likely a proxy in the way.
            raise TemporaryFailure(
                "GOV.UK Notify gave an answer the service could not read. It will try again."
            ) from error
        except requests.RequestException as error:
            raise TemporaryFailure(
                "The service could not reach GOV.UK Notify. It will try again."
            ) from error
        try:
            return str(response["id"])
        except (TypeError, KeyError) as error:
            raise TemporaryFailure(
                "GOV.UK Notify gave an answer the service could not read. It will try again."
            ) from error


def _failure_for(error: HTTPError) -> SendFailure:
    """Notify's answer in words for staff. Notify's own message is logged, never shown."""
    if error.response is None:
        # The client turns a connection error or a timeout into an HTTPError with no response.
        logger.warning("Could not reach GOV.UK Notify: %s", type(error.__cause__).__name__)
        return TemporaryFailure("The service could not reach GOV.UK Notify. It will try again.")
    status = error.status_code
    messages = _notify_messages(error)
    # Notify's messages are fixed strings ("phone_number Not a UK mobile number"), never the
    # number itself; the logging filter redacts anything that looks like one regardless.
    logger.warning("GOV.UK Notify refused a text: %s %s", status, "; ".join(messages))
    if status == 429:
        return TemporaryFailure(
            "GOV.UK Notify is sending too many texts for this service just now. It will try again."
        )
    if status >= 500:
        return TemporaryFailure(
            "GOV.UK Notify could not send the text just now. It will try again."
        )
    text = " ".join(messages).lower()
    if status in (401, 403):
        return PermanentFailure(
            "The service could not sign in to GOV.UK Notify (API key refused). "
            "Tell your IT support."
        )
    if "phone_number" in text or "phone number" in text:
        return PermanentFailure(
            "GOV.UK Notify did not accept the mobile phone number. "
            "Check the number with the patient."
        )
    if "team-only" in text or "trial mode" in text or "guest list" in text:
        return PermanentFailure(
            "The text service is in trial mode and can only send to the team's own numbers. "
            "Tell your IT support."
        )
    if "template" in text or "personalisation" in text:
        return PermanentFailure(
            "The GOV.UK Notify template is missing or wrong. Tell your IT support."
        )
    return PermanentFailure(
        f"GOV.UK Notify refused the text (error {status}). Tell your IT support."
    )


def _notify_messages(error: HTTPError) -> list[str]:
    details = error.message
    if isinstance(details, list):
        return [str(item.get("message", "")) for item in details if isinstance(item, dict)]
    return [str(details)]


def get_backend(name: str | None = None) -> SmsBackend:
    """The backend called `name`, or the one settings.SMS_BACKEND chooses."""
    name = name or settings.SMS_BACKEND
    if name == OutboxBackend.name:
        return OutboxBackend()
    if name == NotifyBackend.name:
        return NotifyBackend()
    raise ImproperlyConfigured(f'SMS_BACKEND must be "outbox" or "notify", not {name!r}.')
