"""GOV.UK Notify's delivery receipts, posted to /messages/notify/callback/."""

import json
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.messaging.models import TextMessage
from clinical_photos.patients.tests.factories import MOBILE

from .conftest import audit_actions, text_patient

Status = TextMessage.Status
URL = "/messages/notify/callback/"
TOKEN = "test-callback-token-7f3a9c2e"


def receipt(message: TextMessage, status: str, **fields) -> dict:
    """A receipt as Notify sends it."""
    return {
        "id": message.provider_reference,
        "reference": str(message.id),
        "to": MOBILE,
        "status": status,
        "created_at": "2026-11-25T10:00:00.000000Z",
        "completed_at": "2026-11-25T10:00:07.000000Z",
        "sent_at": "2026-11-25T10:00:01.000000Z",
        "notification_type": "sms",
        **fields,
    }


def post(payload, *, token: str | None = TOKEN, raw: bytes | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    # A client with CSRF checks on, as the real world is: the view must not need a CSRF token.
    client = Client(enforce_csrf_checks=True)
    body = raw if raw is not None else json.dumps(payload)
    return client.post(URL, body, content_type="application/json", **headers)


@pytest.fixture
def sent_message(notify, photo_request) -> TextMessage:
    return text_patient(photo_request).refreshed()


def test_the_callback_lives_where_notify_is_told_to_post():
    assert reverse("messaging:notify_callback") == URL


def test_a_delivered_receipt_marks_the_text_delivered_and_audits_it(sent_message, practice):
    response = post(receipt(sent_message, "delivered"))

    assert response.status_code == 200
    assert response.json() == {"status": "delivered"}
    sent_message.refresh_from_db()
    assert sent_message.status == Status.DELIVERED
    assert sent_message.delivered_at == datetime(2026, 11, 25, 10, 0, 7, tzinfo=UTC)
    assert audit_actions(sent_message) == [Action.TEXT_SENT, Action.TEXT_DELIVERED]
    entry = AuditEntry.objects.get(action=Action.TEXT_DELIVERED)
    assert entry.user is None
    assert entry.practice == practice
    assert entry.detail["notify_status"] == "delivered"


def test_a_permanent_failure_tells_staff_to_check_the_number(sent_message):
    response = post(receipt(sent_message, "permanent-failure"))

    assert response.status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.status == Status.FAILED
    assert sent_message.get_status_display() == "Not delivered"
    assert "Check the number with the patient" in sent_message.failure_reason
    assert audit_actions(sent_message) == [Action.TEXT_SENT, Action.TEXT_FAILED]


@pytest.mark.parametrize(
    ("status", "says"),
    [
        ("temporary-failure", "switched off, out of signal or full"),
        ("technical-failure", "GOV.UK Notify had a technical problem"),
    ],
)
def test_other_failures_say_what_happened(sent_message, status, says):
    post(receipt(sent_message, status))

    sent_message.refresh_from_db()
    assert sent_message.status == Status.FAILED
    assert says in sent_message.failure_reason


def test_a_repeated_receipt_changes_nothing_more(sent_message):
    post(receipt(sent_message, "delivered"))
    response = post(receipt(sent_message, "permanent-failure"))

    assert response.status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.status == Status.DELIVERED
    assert audit_actions(sent_message) == [Action.TEXT_SENT, Action.TEXT_DELIVERED]


def test_a_receipt_still_in_progress_changes_nothing(sent_message):
    response = post(receipt(sent_message, "sending"))

    assert response.status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.status == Status.SENT


def test_a_receipt_is_matched_by_our_reference_when_notifys_id_is_not_yet_known(
    notify, photo_request, queue_without_running
):
    # The text is still queued (the task has not run), as when a receipt overtakes the commit.
    message = text_patient(photo_request).refreshed()

    response = post(receipt(message, "delivered", id="5a8e0f4c-7d1b-4c2e-9f3a-6b8d0e2c4a1f"))

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert message.provider_reference == "5a8e0f4c-7d1b-4c2e-9f3a-6b8d0e2c4a1f"


def test_a_receipt_for_an_unknown_text_is_404(sent_message):
    response = post(
        receipt(
            sent_message,
            "delivered",
            id="00000000-0000-4000-8000-000000000000",
            reference="not-one-of-ours",
        )
    )

    assert response.status_code == 404
    assert response.json() == {"error": "No such text message"}
    sent_message.refresh_from_db()
    assert sent_message.status == Status.SENT


@pytest.mark.parametrize(
    "token", [None, "wrong-token", "", "test-callback-token-7f3a9c2", TOKEN + "x"]
)
def test_a_receipt_without_the_right_token_is_refused(sent_message, token):
    response = post(receipt(sent_message, "delivered"), token=token)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    sent_message.refresh_from_db()
    assert sent_message.status == Status.SENT
    assert audit_actions(sent_message) == [Action.TEXT_SENT]


def test_a_basic_auth_header_is_refused(sent_message):
    client = Client()
    response = client.post(
        URL,
        json.dumps(receipt(sent_message, "delivered")),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {TOKEN}",
    )

    assert response.status_code == 401


def test_every_receipt_is_refused_when_no_callback_token_is_set(sent_message, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""

    assert post(receipt(sent_message, "delivered"), token="").status_code == 401
    assert post(receipt(sent_message, "delivered"), token=TOKEN).status_code == 401
    sent_message.refresh_from_db()
    assert sent_message.status == Status.SENT


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'"delivered"',
        b"{}",
        b'{"id": 5, "status": "delivered"}',
        b'{"id": "abc", "status": null}',
        b'{"id": "abc", "status": "delivered", "reference": 7}',
    ],
)
def test_a_malformed_receipt_is_400_not_a_crash(db, raw):
    response = post(None, raw=raw)

    assert response.status_code == 400
    assert "error" in response.json()


def test_a_status_notify_never_sends_is_400(sent_message):
    response = post(receipt(sent_message, "exploded"))

    assert response.status_code == 400
    sent_message.refresh_from_db()
    assert sent_message.status == Status.SENT


def test_a_receipt_with_an_unreadable_completed_at_still_counts(sent_message):
    response = post(receipt(sent_message, "delivered", completed_at="yesterday-ish"))

    assert response.status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.status == Status.DELIVERED
    assert sent_message.delivered_at is not None


def test_the_callback_only_takes_posts(db):
    response = Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 405


def test_outbox_texts_cannot_be_changed_by_a_receipt(photo_request):
    message = text_patient(photo_request).refreshed()  # the outbox backend

    response = post(receipt(message, "permanent-failure"))

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
