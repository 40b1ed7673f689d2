"""Texts kept in the outbox (the demo and the tests), sent at once by the immediate backend."""

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.messaging.models import TextMessage
from clinical_photos.messaging.tasks import send_text_message
from clinical_photos.patients.tests.factories import MOBILE

from .conftest import audit_actions, text_patient


def test_a_text_to_the_outbox_is_delivered_at_once_with_its_link(photo_request, practice):
    sent = text_patient(photo_request)

    message = sent.refreshed()
    assert message.status == TextMessage.Status.DELIVERED
    assert message.get_status_display() == "Delivered"
    assert message.to == MOBILE
    assert message.backend == "outbox"
    assert message.provider_reference.startswith("outbox-")
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.delivered_at is not None
    # Staff open the link from the outbox, so the whole text is kept (encrypted).
    assert sent.link_url in message.body
    assert not message.body_redacted
    assert message.practice == practice


def test_sending_to_the_outbox_is_audited_as_the_service_not_a_person(photo_request, practice):
    sent = text_patient(photo_request)

    assert audit_actions(sent.message) == [Action.TEXT_SENT, Action.TEXT_DELIVERED]
    entry = AuditEntry.objects.get(action=Action.TEXT_SENT, object_id=str(sent.message.id))
    assert entry.user is None
    assert entry.practice == practice
    assert entry.detail == {
        "photo_request": str(photo_request.id),
        "backend": "outbox",
        "attempts": 1,
    }


def test_running_the_task_again_sends_nothing_twice(photo_request):
    sent = text_patient(photo_request)
    reference = sent.refreshed().provider_reference

    assert send_text_message.call(str(sent.message.id)) == "already delivered"

    message = sent.refreshed()
    assert message.provider_reference == reference
    assert message.attempts == 1
    assert audit_actions(message) == [Action.TEXT_SENT, Action.TEXT_DELIVERED]


def test_a_text_that_no_longer_exists_is_skipped(db):
    assert send_text_message.call("6f1c2a8e-0000-4000-8000-000000000000") == "missing"
