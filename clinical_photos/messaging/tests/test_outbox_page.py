"""The outbox: in the demo, staff read the texts patients would get and open their links."""

import re

from cryptography.fernet import Fernet
from django.test import Client

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import check_page
from clinical_photos.messaging.models import TextMessage

from .conftest import text_patient

URL = "/messages/outbox/"


def test_the_outbox_shows_the_text_with_a_link_staff_can_open(clinician_client, photo_request):
    sent = text_patient(photo_request)

    response = clinician_client.get(URL)

    assert response.status_code == 200
    page = check_page(response)
    assert page.h1s == ["Outbox"]
    html = response.content.decode()
    assert "To 07700 900123" in html
    assert "Delivered" in html
    assert "Riverside Surgery has asked you to send photos of a health problem." in html
    # The link opens on this service, whichever address the demo runs at.
    path = f"/p/{sent.token}"
    assert f'<a href="{path}">{sent.link_url}</a>' in html


def test_the_link_works_when_clicked(clinician_client, photo_request):
    sent = text_patient(photo_request)

    html = clinician_client.get(URL).content.decode()
    [href] = re.findall(r'<a href="(/p/[^"]+)"', html)

    assert href == f"/p/{sent.token}"


def test_the_newest_text_comes_first(clinician_client, photo_request):
    first = text_patient(photo_request)
    second = text_patient(photo_request)

    html = clinician_client.get(URL).content.decode()

    assert html.index(second.token) < html.index(first.token)


def test_another_practices_texts_are_not_shown(
    clinician_client, photo_request, other_practice_request
):
    ours = text_patient(photo_request)
    theirs = text_patient(other_practice_request)

    response = clinician_client.get(URL)

    check_page(response)
    html = response.content.decode()
    assert ours.token in html
    assert theirs.token not in html
    assert "07700 900999" not in html


def test_the_other_practice_sees_only_its_own(
    other_clinician_client, photo_request, other_practice_request
):
    ours = text_patient(photo_request)
    theirs = text_patient(other_practice_request)

    html = other_clinician_client.get(URL).content.decode()

    assert theirs.token in html
    assert ours.token not in html
    assert "Hilltop Medical Centre has asked you" in html


def test_every_role_can_open_the_outbox(admin_team_client, manager_client, photo_request):
    text_patient(photo_request)

    for client in (admin_team_client, manager_client):
        response = client.get(URL)
        assert response.status_code == 200
        check_page(response)


def test_opening_the_outbox_is_audited(clinician_client, clinician, practice, photo_request):
    text_patient(photo_request)

    clinician_client.get(URL)
    clinician_client.get(URL)

    entries = AuditEntry.objects.filter(action=Action.OUTBOX_VIEWED)
    assert entries.count() == 2
    assert {(e.user, e.practice) for e in entries} == {(clinician, practice)}
    assert entries.first().detail == {"messages_shown": 1}


def test_an_empty_outbox_says_so(clinician_client):
    response = clinician_client.get(URL)

    check_page(response)
    assert "No texts have been sent yet." in response.content.decode()


def test_texts_sent_through_notify_are_not_in_the_outbox(
    notify, settings, clinician_client, photo_request
):
    sent = text_patient(photo_request)
    settings.SMS_BACKEND = "outbox"  # the service switched back to the demo outbox

    html = clinician_client.get(URL).content.decode()

    assert sent.token not in html
    assert "No texts have been sent yet." in html


def test_there_is_no_outbox_when_texts_go_through_notify(settings, clinician_client):
    settings.SMS_BACKEND = "notify"

    response = clinician_client.get(URL)

    assert response.status_code == 404
    check_page(response)
    assert not AuditEntry.objects.filter(action=Action.OUTBOX_VIEWED).exists()


def test_a_text_the_service_can_no_longer_read_is_shown_as_such(clinician_client, photo_request):
    sent = text_patient(photo_request)
    # As if SECRET_KEY had been replaced with no fallback to the key the text was kept with.
    from_a_lost_key = Fernet(Fernet.generate_key()).encrypt(b"lost").decode()
    TextMessage.objects.filter(pk=sent.message.pk).update(body_encrypted=from_a_lost_key)

    response = clinician_client.get(URL)

    assert response.status_code == 200
    check_page(response)
    html = response.content.decode()
    assert "This text can no longer be read" in html
    assert "To 07700 900123" in html


def test_staff_must_log_in_to_see_the_outbox(db, photo_request):
    text_patient(photo_request)

    response = Client().get(URL)

    assert response.status_code == 302
    assert "/account/" in response["Location"]
