"""The outbox: in the demo, staff read the texts patients would get and open their links."""

from cryptography.fernet import Fernet

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import Link, PageClient
from clinical_photos.messaging.models import TextMessage

from .conftest import text_patient

URL = "/messages/outbox/"


def patient_links(page) -> list[str]:
    """The patients' links the outbox shows, newest text first."""
    return [href for href in page.hrefs("main") if href.startswith("/p/")]


def test_the_outbox_shows_the_text_with_a_link_staff_can_open(clinician_client, photo_request):
    sent = text_patient(photo_request)

    response = clinician_client.get(URL)

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Outbox"
    assert "To 07700 900123" in page.text
    assert "Delivered" in page.text
    assert "Riverside Surgery has asked you to send photos of a health problem." in page.text
    # The link opens on this service, whichever address the demo runs at.
    assert Link(sent.link_url, f"/p/{sent.token}") in page.links("main")


def test_the_link_works_when_clicked(clinician_client, photo_request):
    sent = text_patient(photo_request)

    [href] = patient_links(clinician_client.get(URL).page)

    assert href == f"/p/{sent.token}"


def test_the_newest_text_comes_first(clinician_client, photo_request):
    first = text_patient(photo_request)
    second = text_patient(photo_request)

    page = clinician_client.get(URL).page

    assert patient_links(page) == [f"/p/{second.token}", f"/p/{first.token}"]


def test_another_practices_texts_are_not_shown(
    clinician_client, photo_request, other_practice_request
):
    ours = text_patient(photo_request)
    theirs = text_patient(other_practice_request)

    page = clinician_client.get(URL).page

    assert patient_links(page) == [f"/p/{ours.token}"]
    assert theirs.token not in page.source
    assert "07700 900999" not in page.source


def test_the_other_practice_sees_only_its_own(
    other_clinician_client, photo_request, other_practice_request
):
    ours = text_patient(photo_request)
    theirs = text_patient(other_practice_request)

    page = other_clinician_client.get(URL).page

    assert patient_links(page) == [f"/p/{theirs.token}"]
    assert ours.token not in page.source
    assert "Hilltop Medical Centre has asked you" in page.text


def test_every_role_can_open_the_outbox(admin_team_client, manager_client, photo_request):
    text_patient(photo_request)

    for client in (admin_team_client, manager_client):
        response = client.get(URL)
        assert response.status_code == 200
        assert response.page.h1


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

    assert response.page.h1
    assert "No texts have been sent yet." in response.page.text


def test_texts_sent_through_notify_are_not_in_the_outbox(
    notify, settings, clinician_client, photo_request
):
    sent = text_patient(photo_request)
    settings.SMS_BACKEND = "outbox"  # the service switched back to the demo outbox

    page = clinician_client.get(URL).page

    assert sent.token not in page.source
    assert "No texts have been sent yet." in page.text


def test_there_is_no_outbox_when_texts_go_through_notify(settings, clinician_client):
    settings.SMS_BACKEND = "notify"

    response = clinician_client.get(URL)

    assert response.status_code == 404
    assert response.page.h1
    assert not AuditEntry.objects.filter(action=Action.OUTBOX_VIEWED).exists()


def test_a_text_the_service_can_no_longer_read_is_shown_as_such(clinician_client, photo_request):
    sent = text_patient(photo_request)
    # As if SECRET_KEY had been replaced with no fallback to the key the text was kept with.
    from_a_lost_key = Fernet(Fernet.generate_key()).encrypt(b"lost").decode()
    TextMessage.objects.filter(pk=sent.message.pk).update(body_encrypted=from_a_lost_key)

    response = clinician_client.get(URL)

    assert response.status_code == 200
    assert response.page.h1
    html = response.page.text
    assert "This text can no longer be read" in html
    assert "To 07700 900123" in html


def test_staff_must_log_in_to_see_the_outbox(db, photo_request):
    text_patient(photo_request)

    response = PageClient().get(URL)

    assert response.status_code == 302
    assert "/account/" in response["Location"]
