"""The patient's own view: the clinician sends a link, the patient opens it, sees and downloads
their photos of one body site, and the rules of the date of birth hold."""

import hashlib
import html
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import check_page
from clinical_photos.messaging.models import TextMessage
from clinical_photos.photos import storage
from clinical_photos.photos.models import Photo
from clinical_photos.records.models import PatientViewLink
from clinical_photos.records.patient_view import services
from clinical_photos.records.patient_view.journey import VIEW
from clinical_photos.records.subject_access.tests.test_export_support import (
    DATE_OF_BIRTH,
    HAND,
    KNEE,
    URLCONF,
    dob_form,
    file_photos,
    make_patient,
    on,
    view_token_of,
)
from clinical_photos.records.timeline.services import remove_from_record

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]


@pytest.fixture
def patient(practice):
    return make_patient(practice)


@pytest.fixture
def hand_photos(patient, clinician):
    older = file_photos(by=clinician, patient=patient, sent_on=on(2025, 3, 7), labels=("where",))
    newer = file_photos(
        by=clinician, patient=patient, sent_on=on(2025, 5, 1), labels=("close_up", "close_up")
    )
    return older + newer


@pytest.fixture
def knee_photo(patient, clinician):
    return file_photos(by=clinician, patient=patient, body_site=KNEE, labels=("where",))[0]


@pytest.fixture
def token(hand_photos, patient, clinician) -> str:
    services.send_view_link(by=clinician, patient=patient, body_site_code=HAND)
    return view_token_of(patient)


@pytest.fixture
def viewer(token) -> Client:
    """The patient, past their date of birth."""
    client = Client()
    response = client.post(reverse("patient_view:open_link", args=[token]), dob_form())
    assert response.status_code == 302
    return client


# Sending the link ----------------------------------------------------------------------------


def test_the_send_page_offers_only_sites_with_photos_the_patient_could_see(
    clinician_client, patient, hand_photos, knee_photo, clinician
):
    Photo.objects.filter(pk=knee_photo.pk).update(
        entered_in_error_at=timezone.now(), entered_in_error_by=clinician
    )
    response = clinician_client.get(reverse("patient_view:send", args=[patient.id]))
    assert response.status_code == 200
    page = check_page(response)
    assert page.h1s == [f"Send {patient.full_name} a link to see their photos"]
    body = response.content.decode()
    assert 'value="85562004"' in body
    assert 'value="72696002"' not in body
    assert "3 photos, 7 March 2025 to 1 May 2025" in body


def test_a_patient_with_no_photos_is_told_there_is_nothing_to_send(clinician_client, patient):
    response = clinician_client.get(reverse("patient_view:send", args=[patient.id]))
    check_page(response)
    assert "There are no photos in" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main")[1]


def test_sending_texts_a_link_and_keeps_only_its_hash(
    clinician_client, clinician, patient, hand_photos, practice
):
    response = clinician_client.post(
        reverse("patient_view:send", args=[patient.id]), {"body_site": HAND}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", args=[patient.id])
    link = PatientViewLink.objects.get()
    assert link.body_site_code == HAND
    assert link.created_by == clinician
    expected_expiry = link.created_at + timedelta(days=practice.link_lifetime_days)
    assert link.expires_at == expected_expiry
    token = view_token_of(patient)
    assert len(token) == 24
    assert link.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    text = TextMessage.objects.filter(photo_request__patient=patient).first()
    assert text.to == patient.mobile
    assert text.photo_request == hand_photos[-1].response.photo_request
    assert practice.name in text.body
    assert "to see your photos" in text.body
    assert f"https://photos.test/v/{token}" in text.body
    assert "Use this link until" in text.body
    for private in (patient.given_name, patient.family_name, "Hand", "hand", "Rash"):
        assert private not in text.body
    entry = AuditEntry.objects.get(action=Action.PATIENT_VIEW_LINK_SENT)
    assert entry.user == clinician
    assert entry.detail["body_site"] == HAND
    assert token not in str(entry.detail)


def test_a_site_without_photos_cannot_be_sent(clinician_client, patient, hand_photos):
    response = clinician_client.post(
        reverse("patient_view:send", args=[patient.id]), {"body_site": KNEE}
    )
    assert response.status_code == 200
    check_page(response)
    assert "Choose which photos the patient should see" in response.content.decode()
    assert not PatientViewLink.objects.exists()


def test_the_service_refuses_what_the_form_would_not_offer(patient, clinician, admin_user, manager):
    with pytest.raises(services.NoPhotosAtSite):
        services.send_view_link(by=clinician, patient=patient, body_site_code=HAND)
    with pytest.raises(services.NoPhotosAtSite):
        services.send_view_link(by=clinician, patient=patient, body_site_code="not-a-site")
    for user in (admin_user, manager):
        with pytest.raises(PermissionDenied):
            services.send_view_link(by=user, patient=patient, body_site_code=HAND)


@pytest.mark.parametrize("client_fixture", ["admin_team_client", "manager_client"])
def test_only_clinicians_may_send_the_link(request, client_fixture, patient, hand_photos):
    client = request.getfixturevalue(client_fixture)
    url = reverse("patient_view:send", args=[patient.id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"body_site": HAND}).status_code == 403
    assert not PatientViewLink.objects.exists()


def test_another_practices_clinician_gets_not_found(other_clinician_client, patient, hand_photos):
    url = reverse("patient_view:send", args=[patient.id])
    assert other_clinician_client.get(url).status_code == 404
    assert other_clinician_client.post(url, {"body_site": HAND}).status_code == 404


def test_the_text_stays_in_the_gsm_alphabet():
    body = services.patient_view_text(
        practice_name="St Mary\u2019s \u2013 Surgery",
        link_url="https://photos.test/v/abc",
        expires_at=on(2025, 3, 14),
    )
    assert body.startswith("St Mary's - Surgery has sent you a link to see your photos")
    assert "10:30am on 14 March" in body


# Opening the link ----------------------------------------------------------------------------


def test_the_link_asks_for_the_date_of_birth_without_naming_the_patient(client, token, practice):
    response = client.get(reverse("patient_view:open_link", args=[token]))
    assert response.status_code == 200
    page = check_page(response)
    assert page.h1s == ["What is your date of birth?"]
    body = response.content.decode()
    assert practice.name in body
    assert "Ada" not in body and "Lovelace" not in body


def test_the_right_date_swaps_the_token_for_a_session_and_an_address_without_it(client, token):
    response = client.post(reverse("patient_view:open_link", args=[token]), dob_form())
    assert response.status_code == 302
    assert response["Location"] == reverse("patient_view:photos")
    assert token not in response["Location"]
    cookie = response.cookies[VIEW.session.cookie_name]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert token not in cookie.value


def test_the_patient_sees_their_photos_of_the_site_oldest_first(
    viewer, hand_photos, knee_photo, clinician
):
    Photo.objects.filter(pk=hand_photos[1].pk).update(
        entered_in_error_at=timezone.now(), entered_in_error_by=clinician
    )
    response = viewer.get(reverse("patient_view:photos"))
    assert response.status_code == 200
    page = check_page(response)
    assert page.h1s == ["Your photos of your hand"]
    body = response.content.decode()
    shown = [str(p.id) for p in (hand_photos[0], hand_photos[2])]
    positions = [body.index(f"/v/photos/{photo_id}/image") for photo_id in shown]
    assert positions == sorted(positions)
    assert str(hand_photos[1].id) not in body  # entered in error
    assert str(knee_photo.id) not in body  # another site
    assert body.index("7 March 2025") < body.index("1 May 2025")
    assert "Download the photo from 7 March 2025" in body
    assert "no-store" in response["Cache-Control"]


def test_each_view_of_the_page_writes_one_entry(viewer, token):
    viewer.get(reverse("patient_view:photos"))
    viewer.get(reverse("patient_view:photos"))
    entries = AuditEntry.objects.filter(action=Action.PATIENT_VIEWED_OWN_PHOTOS)
    assert entries.count() == 2
    assert entries.first().detail == {"body_site": HAND, "photos": 3}
    assert entries.first().user is None


@pytest.mark.parametrize(("name", "disposition"), [("image", "inline"), ("download", "attachment")])
def test_images_come_with_the_staff_images_headers(viewer, hand_photos, name, disposition):
    photo = hand_photos[0]
    response = viewer.get(reverse(f"patient_view:{name}", args=[photo.id]))
    assert response.status_code == 200
    assert response.content == storage.read_photo(photo)
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == f'{disposition}; filename="photo-2025-03-07.jpg"'


def test_removed_in_error_other_site_and_other_patients_photos_are_not_found(
    viewer, hand_photos, knee_photo, clinician, practice
):
    removed, in_error = hand_photos[1], hand_photos[2]
    remove_from_record(by=clinician, photo=removed, reason="wrong_patient")
    Photo.objects.filter(pk=in_error.pk).update(
        entered_in_error_at=timezone.now(), entered_in_error_by=clinician
    )
    someone_else = make_patient(practice, nhs_number="9876543210", given_name="Grace")
    theirs = file_photos(by=clinician, patient=someone_else, labels=("where",))[0]
    for photo in (removed, in_error, knee_photo, theirs):
        for name in ("image", "download"):
            response = viewer.get(reverse(f"patient_view:{name}", args=[photo.id]))
            assert response.status_code == 404, (name, photo)
    body = viewer.get(reverse("patient_view:photos")).content.decode()
    assert str(removed.id) not in body


def test_pages_after_the_date_of_birth_need_the_session(client, hand_photos):
    response = client.get(reverse("patient_view:photos"))
    assert response.status_code == 403
    check_page(response)
    assert "Open the link in your text" in response.content.decode()
    assert client.get(reverse("patient_view:image", args=[hand_photos[0].id])).status_code == 403


def test_a_forged_session_cookie_opens_nothing(client, token, hand_photos):
    client.cookies[VIEW.session.cookie_name] = "not-signed"
    response = client.get(reverse("patient_view:photos"))
    assert response.status_code == 403
    assert "Your session has ended" in response.content.decode()


def test_a_wrong_date_and_an_unknown_link_get_the_same_answer(client, token):
    wrong = dob_form(DATE_OF_BIRTH.replace(year=1990))
    real = client.post(reverse("patient_view:open_link", args=[token]), wrong)
    unknown = client.post(reverse("patient_view:open_link", args=["x" * 24]), wrong)
    assert real.status_code == unknown.status_code == 200
    for response in (real, unknown):
        check_page(response)
        assert "does not match the one your GP surgery has" in response.content.decode()
    assert PatientViewLink.objects.get().failed_date_of_birth_attempts == 1


def test_five_wrong_dates_lock_the_link_even_for_the_right_one(client, token):
    url = reverse("patient_view:open_link", args=[token])
    wrong = dob_form(DATE_OF_BIRTH.replace(year=1990))
    for _ in range(4):
        client.post(url, wrong)
    locked = client.post(url, wrong)
    assert "This link has been locked" in locked.content.decode()
    assert PatientViewLink.objects.get().locked_at is not None
    again = client.post(url, dob_form())
    assert again.status_code == 200
    assert "This link has been locked" in again.content.decode()
    assert VIEW.session.cookie_name not in again.cookies
    assert AuditEntry.objects.filter(action=Action.LINK_LOCKED).count() == 1
    assert AuditEntry.objects.filter(action=Action.DATE_OF_BIRTH_WRONG).count() == 4


def test_an_address_trying_many_dates_is_told_to_wait(client, token, settings):
    settings.DATE_OF_BIRTH_RATE_LIMIT = "3/h"
    url = reverse("patient_view:open_link", args=["y" * 24])
    for _ in range(3):
        client.post(url, dob_form())
    response = client.post(reverse("patient_view:open_link", args=[token]), dob_form())
    assert response.status_code == 429
    check_page(response)
    assert "Too many tries" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "title"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "This link has expired"),
        ({"locked_at": timezone.now()}, "This link has been locked"),
        ({"revoked_at": timezone.now(), "revoked_by": "clinician"}, "This link no longer works"),
    ],
)
def test_a_link_that_no_longer_works_says_why_without_naming_the_patient(
    client, token, change, title, clinician
):
    if "revoked_by" in change:
        change = {**change, "revoked_by": clinician}
    PatientViewLink.objects.update(**change)
    response = client.get(reverse("patient_view:open_link", args=[token]))
    assert response.status_code == 200
    page = check_page(response)
    assert page.h1s == [title]
    body = response.content.decode()
    assert "Ada" not in body and "Lovelace" not in body


def test_an_unknown_link_is_not_found_and_names_no_one(client, hand_photos):
    response = client.get(reverse("patient_view:open_link", args=["z" * 24]))
    assert response.status_code == 404
    assert check_page(response).h1s == ["This link does not work"]


def test_a_link_that_expires_during_the_session_ends_it(viewer):
    PatientViewLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = viewer.get(reverse("patient_view:photos"))
    assert "This link has expired" in response.content.decode()
    assert response.cookies[VIEW.session.cookie_name].value == ""


def test_a_session_that_timed_out_says_so(viewer, settings):
    settings.PATIENT_SESSION_MINUTES = 0
    response = viewer.get(reverse("patient_view:photos"))
    assert response.status_code == 403
    assert "Your session has ended" in response.content.decode()


def test_a_link_for_one_patient_never_shows_another_patients_photos(
    client, practice, clinician, hand_photos
):
    grace = make_patient(practice, nhs_number="9876543210", given_name="Grace")
    theirs = file_photos(by=clinician, patient=grace, labels=("where",))
    services.send_view_link(by=clinician, patient=grace, body_site_code=HAND)
    client.post(reverse("patient_view:open_link", args=[view_token_of(grace)]), dob_form())
    body = client.get(reverse("patient_view:photos")).content.decode()
    assert str(theirs[0].id) in body
    assert all(str(photo.id) not in body for photo in hand_photos)


# Stopping a link, and a new link replacing the old ------------------------------------------


def _stop_url(link) -> str:
    return reverse("patient_view:revoke", args=[link.id])


def test_a_clinician_stops_a_link_and_the_patient_using_it_is_told(
    clinician_client, clinician, viewer, patient
):
    link = PatientViewLink.objects.get()
    confirm = clinician_client.get(_stop_url(link))
    assert check_page(confirm).h1s == ["Stop this link working?"]
    assert "Ada Lovelace will no longer be able to see their photos of the hand" in (
        confirm.content.decode()
    )

    response = clinician_client.post(_stop_url(link), follow=True)

    assert "The link to Ada Lovelace's photos of the hand no longer works" in html.unescape(
        response.content.decode()
    )
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == clinician
    entry = AuditEntry.objects.get(action=Action.PATIENT_VIEW_LINK_REVOKED)
    assert (entry.user, entry.object_id) == (clinician, str(link.id))
    # The patient's page, open a moment ago, now says the link was stopped and ends the session.
    page = viewer.get(reverse("patient_view:photos"))
    assert check_page(page).h1s == ["This link no longer works"]
    assert "Your GP surgery has stopped this link" in page.content.decode()
    assert page.cookies[VIEW.session.cookie_name].value == ""


def test_the_send_page_lists_the_links_sent_and_how_each_stands(
    clinician_client, clinician, token, patient
):
    services.revoke_view_link(by=clinician, link=PatientViewLink.objects.get())
    response = clinician_client.get(reverse("patient_view:send", args=[patient.id]))
    page = check_page(response)
    assert page.h1s == [f"Send {patient.full_name} a link to see their photos"]
    body = response.content.decode()
    assert "Links already sent" in body
    assert "Stopped" in body and f"by {clinician.full_name}" in body
    # A stopped link cannot be stopped again.
    assert _stop_url(PatientViewLink.objects.get()) not in body


def test_stopping_a_link_twice_changes_nothing(clinician_client, clinician, token):
    link = PatientViewLink.objects.get()
    services.revoke_view_link(by=clinician, link=link)

    response = clinician_client.post(_stop_url(link), follow=True)

    assert "That link had already stopped working" in response.content.decode()
    assert AuditEntry.objects.filter(action=Action.PATIENT_VIEW_LINK_REVOKED).count() == 1


@pytest.mark.parametrize("client_fixture", ["admin_team_client", "manager_client"])
def test_only_clinicians_may_stop_a_link(request, client_fixture, token):
    client = request.getfixturevalue(client_fixture)
    link = PatientViewLink.objects.get()
    assert client.post(_stop_url(link)).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None


def test_another_practice_cannot_stop_a_link(other_clinician_client, token):
    link = PatientViewLink.objects.get()
    assert other_clinician_client.post(_stop_url(link)).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_new_link_for_the_same_site_replaces_the_old_one(
    client, clinician, patient, token, knee_photo
):
    services.send_view_link(by=clinician, patient=patient, body_site_code=KNEE)
    knee_token = view_token_of(patient)
    services.send_view_link(by=clinician, patient=patient, body_site_code=HAND)
    newest = view_token_of(patient)

    old = client.get(reverse("patient_view:open_link", args=[token]))
    assert check_page(old).h1s == ["This link has been replaced"]
    for current in (newest, knee_token):
        opened = client.get(reverse("patient_view:open_link", args=[current]))
        assert check_page(opened).h1s == ["What is your date of birth?"]
    entry = AuditEntry.objects.filter(action=Action.PATIENT_VIEW_LINK_SENT).last()
    assert entry.detail["replaced"] == 1


def test_the_database_keeps_one_working_link_per_patient_and_site(patient, token, clinician):
    from django.db import IntegrityError, transaction

    from clinical_photos.patient_links import services as links

    with pytest.raises(IntegrityError), transaction.atomic():
        links.issue(
            PatientViewLink,
            lifetime_days=7,
            practice=patient.practice,
            patient=patient,
            body_site_code=HAND,
            created_by=clinician,
        )
