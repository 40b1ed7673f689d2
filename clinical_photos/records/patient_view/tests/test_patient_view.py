"""The patient's own view: the clinician sends a link, the patient opens it, sees and downloads
their photos of one body site, and the rules of the date of birth hold."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import Link
from clinical_photos.messaging.models import TextMessage
from clinical_photos.patient_links import services as links
from clinical_photos.patients.tests.factories import DATE_OF_BIRTH, PatientFactory, dob_form
from clinical_photos.photo_requests.tests.factories import HAND, KNEE
from clinical_photos.photos import storage
from clinical_photos.photos.models import Photo
from clinical_photos.records.models import PatientViewLink
from clinical_photos.records.patient_view import services
from clinical_photos.records.patient_view.journey import VIEW
from clinical_photos.records.tests.factories import file_photos, on, send_view_link, view_token_of
from clinical_photos.records.timeline.services import remove_from_record

from .conftest import open_url, viewer_for

pytestmark = pytest.mark.django_db

PHOTOS = reverse("patient_view:photos")
WRONG_DATE = dob_form(DATE_OF_BIRTH.replace(year=1990))
NOT_MATCHED = (
    "The date of birth does not match the one your GP surgery has for you. Check it and try again"
)


def send_url(patient) -> str:
    return reverse("patient_view:send", args=[patient.id])


def stop_url(link) -> str:
    return reverse("patient_view:revoke", args=[link.id])


def photo_url(photo, name="image") -> str:
    return reverse(f"patient_view:{name}", args=[photo.id])


def enter_in_error(photo, by) -> None:
    Photo.objects.filter(pk=photo.pk).update(
        entered_in_error_at=timezone.now(), entered_in_error_by=by
    )


@pytest.fixture
def grace(practice):
    """Another patient of the practice, born the same day as Ada."""
    return PatientFactory(practice=practice, given_name="Grace", family_name="Hopper")


@pytest.fixture
def graces_photo(grace, clinician):
    return file_photos(by=clinician, patient=grace, labels=("where",))[0]


# Sending the link ----------------------------------------------------------------------------


def test_the_send_page_offers_only_sites_with_photos_the_patient_could_see(
    clinician_client, patient, hand_photos, knee_photo, clinician
):
    enter_in_error(knee_photo, clinician)
    response = clinician_client.get(send_url(patient))
    assert response.status_code == 200
    page = response.page
    assert page.h1 == f"Send {patient.full_name} a link to see their photos"
    assert page.form().options("body_site") == [HAND]
    assert page.text_of(".nhsuk-radios__item") == ["Hand 3 photos, 7 March 2025 to 1 May 2025"]


def test_a_patient_with_no_photos_is_told_there_is_nothing_to_send(clinician_client, patient):
    page = clinician_client.get(send_url(patient)).page
    assert page.h1 == f"Send {patient.full_name} a link to see their photos"
    assert "There are no photos in Ada Lovelace's record to show them yet." in page.text
    assert page.select("main form") == []


def test_sending_texts_a_link_and_keeps_only_its_hash(
    clinician_client, clinician, patient, hand_photos, practice
):
    response = clinician_client.post(send_url(patient), {"body_site": HAND})
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
    response = clinician_client.post(send_url(patient), {"body_site": KNEE})
    assert response.status_code == 200
    assert response.page.error_summary() == {
        "#body_site": "Choose which photos the patient should see"
    }
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
    assert client.get(send_url(patient)).status_code == 403
    assert client.post(send_url(patient), {"body_site": HAND}).status_code == 403
    assert not PatientViewLink.objects.exists()


def test_another_practices_clinician_gets_not_found(other_clinician_client, patient, hand_photos):
    assert other_clinician_client.get(send_url(patient)).status_code == 404
    assert other_clinician_client.post(send_url(patient), {"body_site": HAND}).status_code == 404


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
    response = client.get(open_url(token))
    assert response.status_code == 200
    page = response.page
    assert page.h1 == "What is your date of birth?"
    assert practice.name in page.text
    assert "Ada" not in page.source and "Lovelace" not in page.source


def test_the_right_date_swaps_the_token_for_a_session_and_an_address_without_it(client, token):
    response = client.post(open_url(token), dob_form())
    assert response.status_code == 302
    assert response["Location"] == PHOTOS
    assert token not in response["Location"]
    cookie = response.cookies[VIEW.session.cookie_name]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert token not in cookie.value


def test_the_patient_sees_their_photos_of_the_site_oldest_first(
    viewer, hand_photos, knee_photo, clinician
):
    enter_in_error(hand_photos[1], clinician)
    response = viewer.get(PHOTOS)
    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Your photos of your hand"
    shown = (hand_photos[0], hand_photos[2])
    assert [image.src for image in page.images("main img")] == [photo_url(p) for p in shown]
    assert page.text_of("main h2") == ["7 March 2025", "1 May 2025"]
    assert page.links("main li") == [
        # The count is for screen readers, which hear every link's name out of its place.
        Link("Download the photo from 7 March 2025 (1 of 2)", photo_url(shown[0], "download")),
        Link("Download the photo from 1 May 2025 (2 of 2)", photo_url(shown[1], "download")),
    ]
    assert str(hand_photos[1].id) not in page.source  # entered in error
    assert str(knee_photo.id) not in page.source  # another site
    assert "no-store" in response["Cache-Control"]


def test_the_patient_can_call_the_practice_from_their_photos(viewer, hand_photos, practice):
    page = viewer.get(PHOTOS).page
    assert Link("0161 496 0000", "tel:+441614960000") in page.links("main")


def test_a_link_that_no_longer_works_gives_a_number_to_call(client, token):
    PatientViewLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    page = client.get(open_url(token)).page
    assert Link("0161 496 0000", "tel:+441614960000") in page.links("main")


def test_the_send_page_says_where_the_text_goes_as_a_number_to_call(
    clinician_client, patient, hand_photos
):
    page = clinician_client.get(send_url(patient)).page
    assert Link("07700 900123", "tel:+447700900123") in page.links("main")


def test_each_view_of_the_page_writes_one_entry(viewer, token):
    viewer.get(PHOTOS)
    viewer.get(PHOTOS)
    entries = AuditEntry.objects.filter(action=Action.PATIENT_VIEWED_OWN_PHOTOS)
    assert entries.count() == 2
    assert entries.first().detail == {"body_site": HAND, "photos": 3}
    assert entries.first().user is None


@pytest.mark.parametrize(("name", "disposition"), [("image", "inline"), ("download", "attachment")])
def test_images_come_with_the_staff_images_headers(viewer, hand_photos, name, disposition):
    photo = hand_photos[0]
    response = viewer.get(photo_url(photo, name))
    assert response.status_code == 200
    assert response.content == storage.read_photo(photo)
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == f'{disposition}; filename="photo-2025-03-07.jpg"'


def test_removed_in_error_other_site_and_other_patients_photos_are_not_found(
    viewer, hand_photos, knee_photo, graces_photo, clinician
):
    removed, in_error = hand_photos[1], hand_photos[2]
    remove_from_record(by=clinician, photo=removed, reason="wrong_patient")
    enter_in_error(in_error, clinician)
    for photo in (removed, in_error, knee_photo, graces_photo):
        for name in ("image", "download"):
            response = viewer.get(photo_url(photo, name))
            assert response.status_code == 404, (name, photo)
    assert str(removed.id) not in viewer.get(PHOTOS).page.source


def test_pages_after_the_date_of_birth_need_the_session(client, hand_photos):
    response = client.get(PHOTOS)
    assert response.status_code == 403
    assert response.page.h1 == "Open the link in your text"
    assert client.get(photo_url(hand_photos[0])).status_code == 403


def test_a_forged_session_cookie_opens_nothing(client, token, hand_photos):
    client.cookies[VIEW.session.cookie_name] = "not-signed"
    response = client.get(PHOTOS)
    assert response.status_code == 403
    assert response.page.h1 == "Your session has ended"


def test_a_wrong_date_and_an_unknown_link_get_the_same_answer(client, token):
    real = client.post(open_url(token), WRONG_DATE)
    unknown = client.post(open_url("x" * 24), WRONG_DATE)
    assert real.status_code == unknown.status_code == 200
    for response in (real, unknown):
        assert response.page.error_summary() == {"#id_date_of_birth_0": NOT_MATCHED}
    assert PatientViewLink.objects.get().failed_date_of_birth_attempts == 1


def test_five_wrong_dates_lock_the_link_even_for_the_right_one(client, token):
    for _ in range(4):
        client.post(open_url(token), WRONG_DATE)
    locked = client.post(open_url(token), WRONG_DATE)
    assert locked.page.h1 == "This link has been locked"
    assert PatientViewLink.objects.get().locked_at is not None
    again = client.post(open_url(token), dob_form())
    assert again.status_code == 200
    assert again.page.h1 == "This link has been locked"
    assert VIEW.session.cookie_name not in again.cookies
    assert AuditEntry.objects.filter(action=Action.LINK_LOCKED).count() == 1
    assert AuditEntry.objects.filter(action=Action.DATE_OF_BIRTH_WRONG).count() == 4


def test_an_address_trying_many_dates_is_told_to_wait(client, token, settings):
    settings.DATE_OF_BIRTH_RATE_LIMIT = "3/h"
    for _ in range(3):
        client.post(open_url("y" * 24), dob_form())
    response = client.post(open_url(token), dob_form())
    assert response.status_code == 429
    assert response.page.h1 == "Too many tries"


@pytest.mark.parametrize(
    ("state", "title"),
    [
        ("expired", "This link has expired"),
        ("locked", "This link has been locked"),
        ("revoked", "This link no longer works"),
    ],
)
def test_a_link_that_no_longer_works_says_why_without_naming_the_patient(
    client, token, state, title, clinician
):
    now = timezone.now()
    PatientViewLink.objects.update(
        **{
            "expired": {"expires_at": now - timedelta(minutes=1)},
            "locked": {"locked_at": now},
            "revoked": {"revoked_at": now, "revoked_by": clinician},
        }[state]
    )
    response = client.get(open_url(token))
    assert response.status_code == 200
    assert response.page.h1 == title
    assert "Ada" not in response.page.source and "Lovelace" not in response.page.source


def test_an_unknown_link_is_not_found_and_names_no_one(client, hand_photos):
    response = client.get(open_url("z" * 24))
    assert response.status_code == 404
    assert response.page.h1 == "This link does not work"
    assert "Ada" not in response.page.source and "Lovelace" not in response.page.source


def test_a_link_that_expires_during_the_session_ends_it(viewer):
    PatientViewLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = viewer.get(PHOTOS)
    assert response.page.h1 == "This link has expired"
    assert response.cookies[VIEW.session.cookie_name].value == ""


def test_a_session_that_timed_out_says_so(viewer, settings):
    settings.PATIENT_SESSION_MINUTES = 0
    response = viewer.get(PHOTOS)
    assert response.status_code == 403
    assert response.page.h1 == "Your session has ended"


def test_a_link_for_one_patient_never_shows_another_patients_photos(
    clinician, grace, graces_photo, hand_photos
):
    page = viewer_for(send_view_link(by=clinician, patient=grace)).get(PHOTOS).page
    assert [image.src for image in page.images("main img")] == [photo_url(graces_photo)]
    assert all(str(photo.id) not in page.source for photo in hand_photos)


# Stopping a link, and a new link replacing the old ------------------------------------------


def test_a_clinician_stops_a_link_and_the_patient_using_it_is_told(
    clinician_client, clinician, viewer, patient
):
    link = PatientViewLink.objects.get()
    confirm = clinician_client.get(stop_url(link)).page
    assert confirm.h1 == "Stop this link working?"
    assert "Ada Lovelace will no longer be able to see their photos of the hand" in confirm.text

    response = clinician_client.post(stop_url(link), follow=True)

    assert response.page.notification_banners() == [
        "The link to Ada Lovelace's photos of the hand no longer works"
    ]
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == clinician
    entry = AuditEntry.objects.get(action=Action.PATIENT_VIEW_LINK_REVOKED)
    assert (entry.user, entry.object_id) == (clinician, str(link.id))
    # The patient's page, open a moment ago, now says the link was stopped and ends the session.
    stopped = viewer.get(PHOTOS)
    assert stopped.page.h1 == "This link no longer works"
    assert "Your GP surgery has stopped this link" in stopped.page.text
    assert stopped.cookies[VIEW.session.cookie_name].value == ""


def test_the_send_page_lists_the_links_sent_and_how_each_stands(
    clinician_client, clinician, token, patient, knee_photo
):
    hand_link = PatientViewLink.objects.get()
    services.revoke_view_link(by=clinician, link=hand_link)
    send_view_link(by=clinician, patient=patient, body_site=KNEE)
    knee_link = patient.view_links.get(body_site_code=KNEE)
    page = clinician_client.get(send_url(patient)).page
    assert page.h1 == f"Send {patient.full_name} a link to see their photos"
    assert "Links already sent" in page.text_of("main h2")
    knee_row, hand_row = page.table_rows()  # newest first
    assert (knee_row[0], knee_row[3]) == ("Body site Knee", "Link Working Stop")
    assert (hand_row[0], hand_row[3]) == (
        "Body site Hand",
        f"Link Stopped by {clinician.full_name}",
    )
    # Only a link that still works can be stopped.
    assert page.hrefs("table") == [stop_url(knee_link)]
    assert stop_url(hand_link) not in page.source


def test_stopping_a_link_twice_changes_nothing(clinician_client, clinician, token):
    link = PatientViewLink.objects.get()
    services.revoke_view_link(by=clinician, link=link)

    response = clinician_client.post(stop_url(link), follow=True)

    assert response.page.notification_banners() == [
        "That link had already stopped working. Nothing was changed"
    ]
    assert AuditEntry.objects.filter(action=Action.PATIENT_VIEW_LINK_REVOKED).count() == 1


@pytest.mark.parametrize("client_fixture", ["admin_team_client", "manager_client"])
def test_only_clinicians_may_stop_a_link(request, client_fixture, token):
    client = request.getfixturevalue(client_fixture)
    link = PatientViewLink.objects.get()
    assert client.post(stop_url(link)).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None


def test_another_practice_cannot_stop_a_link(other_clinician_client, token):
    link = PatientViewLink.objects.get()
    assert other_clinician_client.post(stop_url(link)).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_new_link_for_the_same_site_replaces_the_old_one(
    client, clinician, patient, token, knee_photo
):
    knee_token = send_view_link(by=clinician, patient=patient, body_site=KNEE)
    newest = send_view_link(by=clinician, patient=patient, body_site=HAND)

    assert client.get(open_url(token)).page.h1 == "This link has been replaced"
    for current in (newest, knee_token):
        assert client.get(open_url(current)).page.h1 == "What is your date of birth?"
    entry = AuditEntry.objects.filter(action=Action.PATIENT_VIEW_LINK_SENT).last()
    assert entry.detail["replaced"] == 1


def test_the_database_keeps_one_working_link_per_patient_and_site(patient, token, clinician):
    with pytest.raises(IntegrityError), transaction.atomic():
        links.issue(
            PatientViewLink,
            lifetime_days=7,
            practice=patient.practice,
            patient=patient,
            body_site_code=HAND,
            created_by=clinician,
        )
