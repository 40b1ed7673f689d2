"""Filing a submission without seeing it: the screen, the one-step filing, and bad input."""

import pytest
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.patient_upload.tests.factories import decline, send_photos
from clinical_photos.patients.tests.factories import PatientFactory
from clinical_photos.photo_requests.tests.factories import FOREARM, HAND, make_request
from clinical_photos.photos.models import Photo
from clinical_photos.records.filing import services as filing_services
from clinical_photos.records.models import Filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(clinician, patient):
    """Two photos sent for a request about the hand and the forearm, with a note."""
    return send_photos(
        make_request(clinician, patient, sites=(HAND, FOREARM)),
        ("where", "close_up"),
        note="It is worse in the mornings.",
    )


@pytest.fixture
def declined(clinician, patient):
    return decline(make_request(clinician, patient), reason="I would rather come in.")


def filing_url(response) -> str:
    return reverse("filing:submission", kwargs={"response_id": response.id})


def another_url(response) -> str:
    return reverse("filing:another_patient", kwargs={"response_id": response.id})


def entries(action):
    return AuditEntry.objects.filter(action=action)


# The screen


def test_the_screen_describes_the_submission_in_words(admin_team_client, answer, admin_user):
    response = admin_team_client.get(filing_url(answer))

    page = response.page
    assert page.h1 == "File photos from Ada Lovelace"
    assert "943 476 5919" in page.text
    assert "7 March 1984" in page.text
    assert "Hand, Forearm" in page.text
    assert "Photo 1: Where it is" in page.text
    assert "Photo 2: Close-up" in page.text
    assert "It is worse in the mornings." in page.text
    assert page.summary_list()["Number of photos"] == "2"
    assert page.text_of("main form button") == ["File into Ada Lovelace's record"]
    [entry] = entries(Action.FILING_VIEWED)
    assert entry.user == admin_user and entry.object_id == str(answer.id)


def test_the_screen_never_shows_or_links_to_an_image(admin_team_client, answer):
    page = admin_team_client.get(filing_url(answer)).page
    content = page.source

    assert page.select("img, canvas, picture, video, object, embed, iframe, svg image") == []
    assert "<img" not in content
    assert "<canvas" not in content
    assert "<picture" not in content
    assert "background-image" not in content
    assert "data:image" not in content
    for photo in Photo.objects.filter(response=answer):
        # Neither the photo's id nor its stored name appears anywhere, so nothing can fetch it.
        assert str(photo.id) not in content
        assert photo.blob_name not in content


def test_an_admin_is_not_offered_filing_to_another_patient(admin_team_client, answer):
    page = admin_team_client.get(filing_url(answer)).page
    assert another_url(answer) not in page.source
    assert "only clinicians can file photos into another patient" in page.text


def test_a_clinician_is_offered_filing_to_another_patient(clinician_client, answer):
    assert another_url(answer) in clinician_client.get(filing_url(answer)).page.hrefs("main")


# Filing


def test_filing_files_every_photo_into_the_requested_patients_record(
    admin_team_client, answer, admin_user, patient
):
    response = admin_team_client.post(filing_url(answer))

    assert response.status_code == 302
    assert response["Location"] == reverse("inbox:list") + "?show=unfiled"
    filing = Filing.objects.get(response=answer)
    assert (filing.patient, filing.filed_by, filing.practice) == (
        patient,
        admin_user,
        answer.practice,
    )
    assert filing.reason == ""
    photos = Photo.objects.filter(response=answer)
    assert photos.count() == 2
    # The request's first body site; a clinician can correct it later.
    assert {(p.patient_id, p.body_site_code) for p in photos} == {(patient.id, HAND)}
    [entry] = entries(Action.SUBMISSION_FILED)
    assert entry.user == admin_user
    assert entry.object_id == str(filing.id)
    assert entry.detail["photos"] == 2
    assert entry.detail["into_requested_patient"] is True
    followed = admin_team_client.get(response["Location"])
    assert "2 photos filed into Ada Lovelace's record" in followed.page.notification_banners()


def test_a_clinician_can_file_too(clinician_client, answer):
    assert clinician_client.post(filing_url(answer)).status_code == 302
    assert Filing.objects.filter(response=answer).exists()


def test_filing_twice_says_who_filed_it_and_changes_nothing(
    admin_team_client, clinician_client, answer, admin_user
):
    admin_team_client.post(filing_url(answer))
    filing = Filing.objects.get(response=answer)
    audit_before = AuditEntry.objects.count()

    response = clinician_client.post(filing_url(answer), follow=True)

    assert response.status_code == 200
    assert response.page.h1
    [message] = response.page.notification_banners()
    assert message.startswith(f"These photos were already filed by {admin_user.full_name} on ")
    assert "Nothing was changed." in message
    assert Filing.objects.get(response=answer).filed_by == admin_user
    assert Filing.objects.count() == 1
    assert Filing.objects.get().filed_at == filing.filed_at
    # Only the viewing of the screen it was sent back to.
    assert list(
        AuditEntry.objects.order_by("sequence")[audit_before:].values_list("action", flat=True)
    ) == [Action.FILING_VIEWED]


def test_a_filed_submission_says_so_and_offers_no_button(admin_team_client, answer, admin_user):
    admin_team_client.post(filing_url(answer))

    response = admin_team_client.get(filing_url(answer))

    page = response.page
    assert f"filed into Ada Lovelace's record by {admin_user.full_name}" in page.text
    assert "File into Ada Lovelace's record" not in page.text
    assert page.select("main form button") == []


def test_a_declined_answer_has_nothing_to_file(admin_team_client, declined):
    page = admin_team_client.get(filing_url(declined)).page
    assert "There is nothing to file" in page.text
    assert "File into" not in page.source

    response = admin_team_client.post(filing_url(declined), follow=True)

    assert response.status_code == 200
    assert response.page.notification_banners() == [
        "The patient chose not to send photos, so there is nothing to file."
    ]
    assert not Filing.objects.exists()
    assert not entries(Action.SUBMISSION_FILED).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_id_is_404(admin_team_client, method):
    url = reverse(
        "filing:submission", kwargs={"response_id": "1c0e4b4e-0000-4000-8000-000000000000"}
    )
    assert getattr(admin_team_client, method)(url).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_id_is_404(admin_team_client, method):
    assert getattr(admin_team_client, method)("/filing/not-a-uuid/").status_code == 404


@pytest.mark.parametrize("url", [filing_url, another_url])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_practices_submission_is_404(other_clinician_client, answer, url, method):
    response = getattr(other_clinician_client, method)(url(answer))
    assert response.status_code == 404
    assert not Filing.objects.exists()
    assert not entries(Action.FILING_VIEWED).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_practice_manager_cannot_file(manager_client, answer, method):
    response = getattr(manager_client, method)(filing_url(answer))
    assert response.status_code == 403
    assert not Filing.objects.exists()
    assert not entries(Action.FILING_VIEWED).exists()


def test_the_service_refuses_a_manager_too(manager, answer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        filing_services.file_submission(by=manager, response=answer)
    assert not Filing.objects.exists()


def test_the_service_refuses_another_practices_user(other_clinician, answer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        filing_services.file_submission(by=other_clinician, response=answer)
    assert not Filing.objects.exists()


def test_nothing_is_half_done_when_the_audit_fails(admin_user, answer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(filing_services, "record", broken)
    with pytest.raises(RuntimeError):
        filing_services.file_submission(by=admin_user, response=answer)

    assert not Filing.objects.exists()
    assert not Photo.objects.filter(patient__isnull=False).exists()
    assert set(Photo.objects.values_list("body_site_code", flat=True)) == {""}


def test_a_racing_second_filing_is_told_who_won(admin_user, clinician, answer):
    first = filing_services.file_submission(by=admin_user, response=answer)
    with pytest.raises(filing_services.AlreadyFiled) as refused:
        filing_services.file_submission(by=clinician, response=answer)
    assert refused.value.filing == first


# Filing into another patient's record


@pytest.fixture
def other_patient(practice):
    return PatientFactory(
        practice=practice, nhs_number="4857773457", given_name="Grace", family_name="Hopper"
    )


def test_a_clinician_files_into_another_patient_with_a_reason(
    clinician_client, clinician, answer, other_patient
):
    form = {"nhs_number": "485 777 3457", "reason": "The request went to her mother by mistake."}
    confirm = clinician_client.post(another_url(answer), form)

    page = confirm.page
    assert page.h1 == "File the photos into Grace Hopper's record?"
    assert not Filing.objects.exists()

    response = clinician_client.post(another_url(answer), {**form, "confirmed": "true"})

    assert response.status_code == 302
    filing = Filing.objects.get(response=answer)
    assert filing.patient == other_patient
    assert filing.reason == "The request went to her mother by mistake."
    assert set(Photo.objects.filter(response=answer).values_list("patient", flat=True)) == {
        other_patient.id
    }
    [entry] = entries(Action.SUBMISSION_FILED)
    assert entry.user == clinician
    assert entry.detail["into_requested_patient"] is False
    assert entry.detail["with_reason"] is True
    # The audit detail holds ids only: no names, NHS numbers or the reason's words.
    assert "Grace" not in str(entry.detail) and "4857773457" not in str(entry.detail)


def test_the_form_page_is_well_formed(clinician_client, answer):
    page = clinician_client.get(another_url(answer)).page
    assert page.h1 == "File the photos into another patient's record"


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"nhs_number": "4857773457", "reason": ""}, "Enter why the photos belong to this patient"),
        (
            {"nhs_number": "4857773457", "reason": "   "},
            "Enter why the photos belong to this patient",
        ),
        (
            {"nhs_number": "", "reason": "Wrong patient"},
            "Enter the NHS number of the patient the photos are of",
        ),
        (
            {"nhs_number": "12345", "reason": "Wrong patient"},
            "NHS number must be 10 digits, like 485 777 3456",
        ),
        (
            {"nhs_number": "4857773458", "reason": "Wrong patient"},
            "This is not a valid NHS number. Check each digit and try again",
        ),
        (
            {"nhs_number": "9990001111", "reason": "Wrong patient"},
            "No patient at your practice has that NHS number.",
        ),
        (
            {"nhs_number": "9434765919", "reason": "Wrong patient"},
            "That is the patient the request was for. File the photos into their record instead.",
        ),
    ],
)
def test_bad_input_for_another_patient_is_explained(
    clinician_client, answer, other_patient, form, expected
):
    for confirmed in ({}, {"confirmed": "true"}):
        response = clinician_client.post(another_url(answer), {**form, **confirmed})

        assert response.status_code == 200
        page = response.page
        assert page.title.startswith("Error: ")
        assert expected in response.page.text
    assert not Filing.objects.exists()


def test_a_patient_of_another_practice_is_unknown(clinician_client, answer, other_practice):
    PatientFactory(practice=other_practice, nhs_number="4857773457")
    response = clinician_client.post(
        another_url(answer), {"nhs_number": "4857773457", "reason": "x", "confirmed": "true"}
    )
    assert "No patient at your practice has that NHS number." in response.page.text
    assert not Filing.objects.exists()


@pytest.mark.parametrize("who", ["admin_team_client", "manager_client"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_clinicians_file_into_another_patient(request, who, method, answer, other_patient):
    client = request.getfixturevalue(who)
    response = getattr(client, method)(
        another_url(answer),
        {"nhs_number": "4857773457", "reason": "Wrong patient", "confirmed": "true"},
    )
    assert response.status_code == 403
    assert not Filing.objects.exists()


def test_the_service_refuses_an_admin_filing_elsewhere(admin_user, answer, other_patient):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        filing_services.file_to_another_patient(
            by=admin_user, response=answer, patient=other_patient, reason="Wrong patient"
        )
    with pytest.raises(filing_services.ReasonRequired):
        filing_services.file_to_another_patient(
            by=answer.photo_request.requested_by,
            response=answer,
            patient=other_patient,
            reason=" ",
        )
    assert not Filing.objects.exists()


def test_filing_elsewhere_after_it_was_filed_goes_back_to_the_screen(
    clinician_client, admin_team_client, answer, other_patient
):
    admin_team_client.post(filing_url(answer))
    response = clinician_client.post(
        another_url(answer),
        {"nhs_number": "4857773457", "reason": "Wrong patient", "confirmed": "true"},
    )
    assert response.status_code == 302
    assert response["Location"] == filing_url(answer)
    assert Filing.objects.get().patient == answer.photo_request.patient
