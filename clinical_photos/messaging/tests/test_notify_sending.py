"""Texts sent through GOV.UK Notify, here a local stub that speaks Notify's protocol."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.messaging.models import TextMessage
from clinical_photos.messaging.tasks import MAX_ATTEMPTS, send_text_message
from clinical_photos.patients.tests.factories import MOBILE, PatientFactory
from clinical_photos.photo_requests.tests.factories import PhotoRequestFactory

from .conftest import audit_actions, text_patient

Status = TextMessage.Status


def test_notify_gets_the_number_the_template_and_the_words(notify, photo_request):
    sent = text_patient(photo_request)

    [request] = notify.received
    assert request.status == 201
    assert request.json == {
        "phone_number": MOBILE,
        "template_id": notify.template_id,
        # The template is "((message))": the words are all ours, link included.
        "personalisation": {"message": sent.body},
        "reference": str(sent.message.id),
    }
    assert sent.body.startswith("Riverside Surgery has asked you to send photos")
    assert sent.link_url in sent.body
    # The client signed its token with the key's secret, for this service.
    assert request.claims["iss"] == notify.service_id


def test_a_text_notify_accepted_is_sent_and_audited(notify, photo_request, practice):
    sent = text_patient(photo_request)

    message = sent.refreshed()
    assert message.status == Status.SENT
    assert message.get_status_display() == "Sent"
    assert message.provider_reference == notify.accepted[0].answer["id"]
    assert message.attempts == 1
    assert message.failure_reason == ""
    assert audit_actions(message) == [Action.TEXT_SENT]
    entry = AuditEntry.objects.get(action=Action.TEXT_SENT, object_id=str(message.id))
    assert entry.user is None
    assert entry.practice == practice
    assert entry.detail["backend"] == "notify"


def test_the_stub_refuses_a_key_with_the_wrong_secret(notify, settings, photo_request):
    settings.NOTIFY_API_KEY = (
        f"clinical_photos_test-{notify.service_id}-{'0' * 8}-0000-4000-8000-{'0' * 12}"
    )

    sent = text_patient(photo_request)

    [request] = notify.received
    assert request.status == 403
    assert notify.accepted == []
    message = sent.refreshed()
    assert message.status == Status.FAILED
    assert message.get_status_display() == "Not delivered"
    assert "could not sign in to GOV.UK Notify" in message.failure_reason
    assert message.attempts == 1
    assert audit_actions(message) == [Action.TEXT_FAILED]


def test_the_stub_refuses_a_key_for_another_service(notify, settings, photo_request):
    settings.NOTIFY_API_KEY = (
        f"clinical_photos_test-{'1' * 8}-1111-4111-8111-{'1' * 12}-{notify.secret}"
    )

    sent = text_patient(photo_request)

    assert [r.status for r in notify.received] == [403]
    assert sent.refreshed().status == Status.FAILED


@pytest.mark.parametrize("status", [500, 429])
def test_a_text_is_tried_again_when_notify_is_down_or_busy(notify, photo_request, status):
    notify.fail_next(status)

    sent = text_patient(photo_request)

    assert [r.status for r in notify.received] == [status, 201]
    message = sent.refreshed()
    assert message.status == Status.SENT
    assert message.attempts == 2
    assert message.failure_reason == ""
    assert audit_actions(message) == [Action.TEXT_SENT]


def test_a_text_fails_after_five_tries_and_staff_are_told_why(notify, photo_request):
    notify.fail_next(500, count=MAX_ATTEMPTS + 2)

    sent = text_patient(photo_request)

    assert [r.status for r in notify.received] == [500] * MAX_ATTEMPTS
    message = sent.refreshed()
    assert message.status == Status.FAILED
    assert message.attempts == MAX_ATTEMPTS == 5
    assert message.failure_reason == (
        "Not sent after 5 tries. GOV.UK Notify could not send the text just now."
    )
    assert audit_actions(message) == [Action.TEXT_FAILED]


def test_a_number_notify_refuses_fails_at_once_without_retrying(notify, practice, clinician):
    landline = PatientFactory(practice=practice, mobile="+441614960000")
    photo_request = PhotoRequestFactory(patient=landline, requested_by=clinician)

    sent = text_patient(photo_request)

    assert [r.status for r in notify.received] == [400]
    message = sent.refreshed()
    assert message.status == Status.FAILED
    assert message.attempts == 1
    assert message.failure_reason == (
        "GOV.UK Notify did not accept the mobile phone number. Check the number with the patient."
    )
    entry = AuditEntry.objects.get(action=Action.TEXT_FAILED, object_id=str(message.id))
    assert entry.detail["reason"] == message.failure_reason
    assert "+44" not in str(entry.detail)


def test_a_trial_mode_refusal_says_so(notify, photo_request):
    notify.fail_next(400)  # "Can't send to this recipient using a team-only API key"

    sent = text_patient(photo_request)

    assert len(notify.received) == 1
    message = sent.refreshed()
    assert message.status == Status.FAILED
    assert "trial mode" in message.failure_reason


def test_an_unreachable_notify_is_retried_then_reported(notify, settings, photo_request):
    notify.stop()  # the port is closed now: every connection is refused

    sent = text_patient(photo_request)

    message = sent.refreshed()
    assert message.status == Status.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert "could not reach GOV.UK Notify" in message.failure_reason


def test_a_service_without_a_notify_key_fails_the_text_with_a_reason(
    notify, settings, photo_request
):
    settings.NOTIFY_API_KEY = ""

    sent = text_patient(photo_request)

    assert notify.received == []
    message = sent.refreshed()
    assert message.status == Status.FAILED
    assert "not set up to send texts" in message.failure_reason


def test_running_the_task_again_after_notify_accepted_sends_nothing_more(notify, photo_request):
    sent = text_patient(photo_request)

    send_text_message.call(str(sent.message.id))

    assert len(notify.received) == 1
    assert audit_actions(sent.refreshed()) == [Action.TEXT_SENT]


class TestBackoff:
    """With a task backend that honours run_after, each retry waits longer than the last."""

    def test_the_task_queue_holds_only_the_texts_id(
        self, notify, photo_request, queue_without_running
    ):
        sent = text_patient(photo_request)

        [queued] = queue_without_running.results
        assert queued.args == [str(sent.message.id)]
        assert queued.kwargs == {}
        assert queued.task.run_after is None
        assert notify.received == []
        assert sent.refreshed().status == Status.QUEUED

    def test_retries_wait_30s_2m_8m_and_32m_then_give_up(
        self, notify, photo_request, queue_without_running
    ):
        sent = text_patient(photo_request)
        message_id = str(sent.message.id)
        notify.fail_next(503, count=MAX_ATTEMPTS)
        waits = []

        for _ in range(MAX_ATTEMPTS):
            queued_before, before = len(queue_without_running.results), timezone.now()
            send_text_message.call(message_id)
            for retry in queue_without_running.results[queued_before:]:
                waits.append(retry.task.run_after - before)

        assert [round(wait.total_seconds()) for wait in waits] == [30, 120, 480, 1920]
        assert len(queue_without_running.results) == 1 + 4
        message = sent.refreshed()
        assert message.status == Status.FAILED
        assert message.attempts == 5
        assert len(notify.received) == 5

    def test_a_retry_that_succeeds_clears_the_reason(
        self, notify, photo_request, queue_without_running
    ):
        sent = text_patient(photo_request)
        notify.fail_next(500)

        send_text_message.call(str(sent.message.id))
        waiting = sent.refreshed()
        assert waiting.status == Status.QUEUED
        assert waiting.failure_reason == (
            "GOV.UK Notify could not send the text just now. It will try again."
        )
        retry = queue_without_running.results[-1]
        assert retry.task.run_after - timezone.now() <= timedelta(seconds=30)

        send_text_message.call(*retry.args)

        message = sent.refreshed()
        assert message.status == Status.SENT
        assert message.attempts == 2
        assert message.failure_reason == ""
