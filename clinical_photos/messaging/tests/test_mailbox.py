"""The demo's mailbox: emails kept as StaffEmail, each person sees only their own."""

import pytest
from django.core.mail import send_mail
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import Link
from clinical_photos.messaging import mailbox
from clinical_photos.messaging.models import StaffEmail

pytestmark = pytest.mark.django_db

MAILBOX = reverse("mailbox:mailbox")


@pytest.fixture
def mailbox_on(settings):
    settings.MAILERS = {"default": {"BACKEND": mailbox.BACKEND_PATH}}


def test_the_backend_keeps_one_email_per_recipient(mailbox_on):
    sent = send_mail("Subject", "Body", "service@photos.test", ["A@Example.test", "b@example.test"])

    assert sent == 1
    assert sorted(StaffEmail.objects.values_list("to", "subject", "body")) == [
        ("a@example.test", "Subject", "Body"),
        ("b@example.test", "Subject", "Body"),
    ]


def test_the_page_shows_only_the_users_own_emails(mailbox_on, clinician_client, clinician):
    send_mail(
        "For the GP", "Open it: https://photos.test/requests/1/", "s@p.test", [clinician.email]
    )
    send_mail("For someone else", "Secret", "s@p.test", ["reception@riverside.test"])

    response = clinician_client.get(MAILBOX)

    page = response.page
    assert page.h1 == "Your emails"
    assert "For the GP" in page.text
    assert "For someone else" not in page.source and "Secret" not in page.source
    # The service's own link opens on whatever address the demo runs at.
    assert Link("https://photos.test/requests/1/", "/requests/1/") in page.links("main")


def test_an_empty_mailbox(mailbox_on, admin_team_client):
    response = admin_team_client.get(MAILBOX)
    assert response.page.h1
    assert "You have no emails." in response.page.text


def test_viewing_it_is_audited(mailbox_on, clinician_client, clinician):
    send_mail("One", "Body", "s@p.test", [clinician.email])
    clinician_client.get(MAILBOX)

    [entry] = AuditEntry.objects.filter(action=Action.MAILBOX_VIEWED)
    assert entry.user == clinician
    assert entry.detail == {"emails_shown": 1}


def test_it_is_404_when_emails_are_really_sent(settings, clinician_client):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
    assert clinician_client.get(MAILBOX).status_code == 404
    assert not AuditEntry.objects.filter(action=Action.MAILBOX_VIEWED).exists()


def test_the_older_email_backend_setting_is_understood(settings):
    if hasattr(settings, "MAILERS"):
        del settings.MAILERS
    settings.EMAIL_BACKEND = mailbox.BACKEND_PATH
    assert mailbox.is_enabled()


def test_it_needs_a_login(mailbox_on, client):
    response = client.get(MAILBOX)
    assert response.status_code == 302
