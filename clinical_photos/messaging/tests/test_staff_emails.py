"""The person who asked is told by email that the patient answered, with no patient details."""

import pytest
from django.core import mail

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.messaging import staff_emails
from clinical_photos.patient_upload.tests.factories import decline, send_photos
from clinical_photos.photo_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_the_email_has_only_a_link(clinician, patient):
    photo_request = make_request(clinician, patient)
    mail.outbox.clear()

    staff_emails.tell_requester(photo_request)

    [email] = mail.outbox
    assert email.to == [clinician.email]
    assert email.subject == "A patient has answered your photo request"
    assert f"Open it: https://photos.test/requests/{photo_request.id}/" in email.body
    text = email.subject + email.body
    for detail in (
        patient.given_name,
        patient.family_name,
        patient.nhs_number,
        "943 476 5919",
        "1984",
        patient.mobile,
        "Rash",
        "rash",
        "Hand",
        "photos sent",
        "declined",
    ):
        assert detail not in text


def test_sending_it_is_audited_without_personal_data(clinician, patient):
    photo_request = make_request(clinician, patient)
    staff_emails.tell_requester(photo_request)

    [entry] = AuditEntry.objects.filter(action=Action.EMAIL_SENT)
    assert (entry.object_type, entry.object_id) == ("photorequest", str(photo_request.id))
    assert entry.practice == photo_request.practice
    assert entry.detail == {"to_user": str(clinician.id), "attempt": 1}


def test_a_disabled_user_is_not_emailed(clinician, patient):
    photo_request = make_request(clinician, patient)
    clinician.is_active = False
    clinician.save()
    mail.outbox.clear()

    assert staff_emails.send_answer_email.call(*_arguments(photo_request)) == "no recipient"
    assert mail.outbox == []


def test_a_mail_server_that_is_down_does_not_break_anything(clinician, patient, monkeypatch):
    photo_request = make_request(clinician, patient)

    def down(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(staff_emails, "send_mail", down)
    # The test task backend cannot wait before a retry, so the email is given up on.
    assert staff_emails.send_answer_email.call(*_arguments(photo_request)) == "failed"
    assert not AuditEntry.objects.filter(action=Action.EMAIL_SENT).exists()


def test_an_unknown_requester_is_skipped():
    unknown = "6b0d4c52-0000-4000-8000-000000000000"
    assert staff_emails.send_answer_email.call("photorequest", unknown, unknown) == "missing"


def _arguments(photo_request) -> tuple[str, str, str]:
    return ("photorequest", str(photo_request.id), str(photo_request.requested_by_id))


def test_the_task_takes_only_ids(clinician, patient):
    from django.tasks.signals import task_enqueued

    photo_request = make_request(clinician, patient)
    queued = []

    def seen(sender, task_result, **kwargs):
        if task_result.task.name == "send_answer_email":
            queued.append((task_result.args, task_result.kwargs))

    task_enqueued.connect(seen)
    try:
        staff_emails.tell_requester(photo_request)
    finally:
        task_enqueued.disconnect(seen)

    # Task arguments are stored in a table: ids, nothing about the patient.
    assert queued == [(["photorequest", str(photo_request.id), str(clinician.id)], {})]


@pytest.mark.parametrize("answer", [send_photos, decline])
def test_the_requester_is_told_when_the_patient_answers(clinician, patient, answer):
    photo_request = make_request(clinician, patient)
    mail.outbox.clear()

    answer(photo_request)

    assert [email.to for email in mail.outbox] == [[clinician.email]]


def test_an_email_queued_under_the_tasks_old_name_is_still_sent(clinician, patient):
    """Tasks queued before the email moved to messaging name records.notifications."""
    from clinical_photos.records import notifications

    photo_request = make_request(clinician, patient)
    mail.outbox.clear()

    assert notifications.send_answer_email.call(str(photo_request.id)) == "sent"

    assert [email.to for email in mail.outbox] == [[clinician.email]]
    [entry] = AuditEntry.objects.filter(action=Action.EMAIL_SENT)
    assert entry.object_id == str(photo_request.id)
    assert notifications.send_answer_email.module_path == (
        "clinical_photos.records.notifications.send_answer_email"
    )
