"""Cancelling a request, and sending its text again with a new link."""

from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import PageClient
from clinical_photos.messaging.models import TextMessage
from clinical_photos.patient_upload import services as upload_services
from clinical_photos.patients.tests.factories import dob_form
from clinical_photos.photo_requests.models import PatientLink, PhotoRequest
from clinical_photos.photos.models import Photo
from clinical_photos.photos.tests.images import jpeg

from .factories import texts_for, token_in, token_of


def cancel_url(photo_request) -> str:
    return reverse("photo_requests:cancel", args=[photo_request.id])


def resend_url(photo_request) -> str:
    return reverse("photo_requests:resend", args=[photo_request.id])


def detail_url(photo_request) -> str:
    return reverse("photo_requests:detail", args=[photo_request.id])


def entries(action) -> int:
    return AuditEntry.objects.filter(action=action).count()


# Cancel


def test_cancel_asks_first_and_changes_nothing(clinician_client, photo_request):
    response = clinician_client.get(cancel_url(photo_request))

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Cancel this request?"
    content = response.page.text
    assert "Ada Lovelace will no longer be able to send photos" in content
    assert "Cancel request" in content
    assert detail_url(photo_request) in response.page.hrefs("main")
    photo_request.refresh_from_db()
    assert photo_request.status == PhotoRequest.Status.OPEN
    assert entries(Action.REQUEST_CANCELLED) == 0


def test_cancelling_ends_the_request(clinician_client, clinician, photo_request):
    response = clinician_client.post(cancel_url(photo_request))

    assert response.status_code == 302
    assert response["Location"] == detail_url(photo_request)
    photo_request.refresh_from_db()
    assert photo_request.status == PhotoRequest.Status.CANCELLED
    assert not photo_request.is_open
    assert photo_request.cancelled_by == clinician
    assert photo_request.cancelled_at is not None
    entry = AuditEntry.objects.get(action=Action.REQUEST_CANCELLED)
    assert entry.user == clinician
    assert entry.object_id == str(photo_request.id)

    page = clinician_client.get(response["Location"])
    assert "The request has been cancelled. Its link no longer works" in page.page.text
    assert "Cancelled" in page.page.text
    # Nothing on the page offers the link or a way to use it again.
    content = page.page.source
    assert "Link works until" not in content
    assert "Send the text again" not in content
    assert cancel_url(photo_request) not in content


def test_cancelling_twice_says_so_and_records_it_once(clinician_client, photo_request):
    clinician_client.post(cancel_url(photo_request))
    photo_request.refresh_from_db()
    cancelled_at = photo_request.cancelled_at

    # The same form, sent again from a tab left open.
    response = clinician_client.post(cancel_url(photo_request), follow=True)

    assert response.page.h1
    assert "This request was not cancelled: it had already ended" in response.page.text
    assert entries(Action.REQUEST_CANCELLED) == 1
    photo_request.refresh_from_db()
    assert photo_request.cancelled_at == cancelled_at


def test_the_cancel_page_of_an_ended_request_says_it_has_ended(clinician_client, photo_request):
    clinician_client.post(cancel_url(photo_request))

    response = clinician_client.get(cancel_url(photo_request), follow=True)

    assert response.page.h1
    assert response.redirect_chain[-1][0] == detail_url(photo_request)
    assert "This request has already ended, so it cannot be cancelled" in response.page.text


def test_another_practice_cannot_cancel(other_clinician_client, photo_request):
    for response in (
        other_clinician_client.get(cancel_url(photo_request)),
        other_clinician_client.post(cancel_url(photo_request)),
    ):
        assert response.status_code == 404
        assert response.page.h1
    photo_request.refresh_from_db()
    assert photo_request.status == PhotoRequest.Status.OPEN
    assert entries(Action.REQUEST_CANCELLED) == 0


# Send again


def test_sending_again_sends_a_new_link_and_kills_the_old(
    clinician_client, clinician, photo_request
):
    [first_text] = texts_for(photo_request)
    old_token = token_in(first_text)
    old_link = photo_request.current_link

    response = clinician_client.post(resend_url(photo_request))

    assert response.status_code == 302
    assert response["Location"] == detail_url(photo_request)
    texts = texts_for(photo_request)
    assert len(texts) == 2
    new_token = token_in(texts[1])
    assert new_token != old_token
    assert texts[1].to == "+447700900123"
    assert texts[1].status == TextMessage.Status.DELIVERED

    old_link.refresh_from_db()
    assert old_link.replaced_at is not None
    current = photo_request.current_link
    assert current != old_link
    assert current.token_sha256 == PatientLink.hash_token(new_token)
    assert current.token_sha256 != PatientLink.hash_token(old_token)
    assert current.expires_at > old_link.expires_at
    assert photo_request.links.filter(replaced_at__isnull=True).count() == 1

    entry = AuditEntry.objects.get(action=Action.REQUEST_RESENT)
    assert entry.user == clinician
    assert entry.object_id == str(photo_request.id)

    page = clinician_client.get(response["Location"])
    assert page.page.h1
    assert "A new text has been sent. The link in the old text no longer works" in page.page.text


def test_sending_a_cancelled_request_again_is_refused(clinician_client, photo_request):
    clinician_client.post(cancel_url(photo_request))

    response = clinician_client.post(resend_url(photo_request), follow=True)

    assert response.page.h1
    assert "The text was not sent again: this request has already ended" in response.page.text
    assert len(texts_for(photo_request)) == 1
    assert photo_request.links.count() == 1
    assert photo_request.links.get().replaced_at is None
    assert entries(Action.REQUEST_RESENT) == 0


def test_sending_again_asks_first_and_changes_nothing(clinician_client, photo_request):
    response = clinician_client.get(resend_url(photo_request))

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Send the text again?"
    assert "Ada Lovelace will get a new text with a new link" in page.text
    # Nobody has started, so there is nothing to warn about.
    assert "The patient has started" not in page.text
    assert page.form("main form").names == {"csrfmiddlewaretoken"}
    assert detail_url(photo_request) in page.hrefs("main")
    assert len(texts_for(photo_request)) == 1
    assert entries(Action.REQUEST_RESENT) == 0


def add_unsent_photos(photo_request, count: int) -> list[Photo]:
    """The patient adds photos through their link and has not sent them yet."""
    link = photo_request.current_link
    return [
        upload_services.add_photo(link, jpeg(colour=(40 * n, 90, 80)), f"{n}.jpg", "close_up")
        for n in range(count)
    ]


def test_the_send_again_page_warns_that_the_patient_has_started(clinician_client, photo_request):
    add_unsent_photos(photo_request, 2)

    page = clinician_client.get(resend_url(photo_request)).page

    [warning] = page.select(".nhsuk-card--warning")
    assert "The patient has started" in warning.text
    assert "2 photos added but not sent yet. They will be carried over to the new link" in (
        " ".join(warning.text.split())
    )


def test_sending_again_carries_the_unsent_photos_to_the_new_link(
    clinician_client, clinician, photo_request
):
    photos = add_unsent_photos(photo_request, 2)
    old_link = photo_request.current_link

    response = clinician_client.post(resend_url(photo_request), follow=True)

    new_link = photo_request.current_link
    assert new_link != old_link
    # The patient opening the new link finds the photos they added, in the same order.
    assert [p.id for p in upload_services.unsent_photos(new_link)] == [p.id for p in photos]
    assert not upload_services.unsent_photos(old_link).exists()
    entry = AuditEntry.objects.get(action=Action.REQUEST_RESENT)
    assert entry.user == clinician
    assert entry.detail == {"photos_carried_over": 2}
    assert "The 2 photos the patient added are on the new link" in response.page.text
    # The patient who opens the new text finds them waiting to be checked and sent.
    patient = PageClient()
    patient.post(reverse("patient_upload:open_link", args=[token_of(photo_request)]), dob_form())
    check = patient.get(reverse("patient_upload:check")).page
    assert "Photo 1: a close-up" in check.text and "Photo 2: a close-up" in check.text
    # They can be sent through the new link.
    upload_services.send_photos(new_link)
    assert Photo.objects.filter(response__isnull=False).count() == 2


def test_another_practice_cannot_send_again(other_clinician_client, photo_request):
    response = other_clinician_client.post(resend_url(photo_request))

    assert response.status_code == 404
    assert response.page.h1
    assert len(texts_for(photo_request)) == 1
    assert entries(Action.REQUEST_RESENT) == 0


def test_a_practice_manager_cannot_cancel_or_send_a_request_again(manager_client, photo_request):
    detail = manager_client.get(reverse("photo_requests:detail", args=[photo_request.id]))
    assert "Cancel this request" not in detail.page.source
    for name in ("photo_requests:cancel", "photo_requests:resend"):
        assert manager_client.post(reverse(name, args=[photo_request.id])).status_code == 403
    photo_request.refresh_from_db()
    assert photo_request.is_open
    assert photo_request.text_messages.count() == 1
