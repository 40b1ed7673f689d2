"""Only the SHA-256 of a link's token may be kept: texts are encrypted, then redacted."""

import logging

from django.db import connection

from clinical_photos.messaging import crypto
from clinical_photos.messaging.models import TextMessage
from clinical_photos.patients.tests.factories import MOBILE

from .conftest import text_patient


def every_stored_value() -> str:
    """Every value in every table of the test database, as one string."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            values.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(values)


def test_the_outbox_keeps_the_whole_text_but_only_encrypted(photo_request):
    sent = text_patient(photo_request)

    stored = every_stored_value()
    assert sent.token not in stored
    assert "has asked you to send photos" not in stored
    # ...and yet staff can still read it, link and all.
    assert sent.link_url in sent.refreshed().body


def test_once_notify_has_the_text_only_a_copy_without_the_link_is_kept(notify, photo_request):
    sent = text_patient(photo_request)

    message = sent.refreshed()
    assert message.body_redacted
    assert sent.token not in message.body
    assert "until " in message.body
    assert message.body.endswith(": [link]\nDo not reply to this message.")
    assert sent.token not in every_stored_value()


def test_a_text_waiting_to_be_retried_is_kept_encrypted(
    notify, photo_request, queue_without_running
):
    sent = text_patient(photo_request)

    message = sent.refreshed()
    assert message.status == TextMessage.Status.QUEUED
    assert not message.body_redacted
    assert sent.link_url in message.body
    assert sent.token not in every_stored_value()


def test_texts_stay_readable_after_secret_key_rotation_with_a_fallback(settings, photo_request):
    sent = text_patient(photo_request)
    old_key = settings.SECRET_KEY

    settings.SECRET_KEY = "a-brand-new-secret-key-for-rotation-0123456789abcdef"
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert sent.link_url in sent.refreshed().body


def test_texts_from_a_forgotten_key_are_reported_unreadable_not_crashing(settings, photo_request):
    sent = text_patient(photo_request)

    settings.SECRET_KEY = "a-brand-new-secret-key-for-rotation-0123456789abcdef"
    settings.SECRET_KEY_FALLBACKS = []

    assert sent.refreshed().readable_body is None


def test_the_key_is_derived_for_texts_alone_not_secret_key_itself(settings):
    token = crypto.encrypt("hello")

    assert settings.SECRET_KEY.encode() not in crypto._derive_key(settings.SECRET_KEY)
    assert crypto.decrypt(token) == "hello"


def test_nothing_personal_reaches_the_logs(notify, photo_request, caplog):
    caplog.set_level(logging.DEBUG)
    notify.fail_next(500)
    notify.fail_next(400, message="phone_number Not a UK mobile number")

    sent = text_patient(photo_request)

    assert sent.refreshed().status == TextMessage.Status.FAILED  # tried twice: 500, then 400
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "GOV.UK Notify refused a text" in logged
    for secret in (sent.token, MOBILE, MOBILE[3:], "has asked you"):
        assert secret not in logged
