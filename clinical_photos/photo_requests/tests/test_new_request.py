"""Asking a patient for photos: what is saved, the link and the text sent, and who may ask."""

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone

from clinical_photos.accounts.tests.factories import PracticeFactory
from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.messaging.models import TextMessage
from clinical_photos.messaging.tasks import send_text_message
from clinical_photos.messaging.text import link_expiry
from clinical_photos.patients.tests.factories import PatientFactory
from clinical_photos.photo_requests import services
from clinical_photos.photo_requests.models import PatientLink, PhotoRequest

from .factories import (
    BREAST_STRUCTURE,
    FOREARM,
    HAND,
    make_request,
    texts_for,
    token_in,
)


def new_url(patient) -> str:
    return reverse("photo_requests:new", args=[patient.id])


def template(practice, name):
    return practice.request_templates.get(name=name)


def post_request(client, patient, *, template_id, sites=(HAND,), note=""):
    data = {"body_sites": list(sites), "note_to_patient": note}
    if template_id is not None:
        data["template"] = str(template_id)
    return client.post(new_url(patient), data)


def nothing_saved():
    assert not PhotoRequest.objects.exists()
    assert not PatientLink.objects.exists()
    assert not TextMessage.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.REQUEST_CREATED).exists()


def test_the_new_request_page_renders(clinician_client, patient):
    response = clinician_client.get(new_url(patient))

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Ask for photos"
    content = response.page.text
    assert "Ada Lovelace, NHS number 943 476 5919" in content
    assert "This service is not for intimate areas" in content


def test_a_clinician_asks_for_photos(clinician_client, clinician, practice, patient):
    rash = template(practice, "Rash")
    before = timezone.now()

    response = post_request(
        clinician_client,
        patient,
        template_id=rash.id,
        sites=[HAND, FOREARM],
        note="Please include the back of your hand.",
    )

    photo_request = PhotoRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("photo_requests:detail", args=[photo_request.id])
    assert photo_request.patient == patient
    assert photo_request.practice == practice
    assert photo_request.requested_by == clinician
    assert before <= photo_request.created_at <= timezone.now()
    assert photo_request.template == rash
    assert photo_request.reason == rash.patient_message
    assert photo_request.body_site_codes == [HAND, FOREARM]
    assert photo_request.note_to_patient == "Please include the back of your hand."
    assert photo_request.status == PhotoRequest.Status.OPEN

    page = clinician_client.get(response["Location"])
    assert page.page.h1
    content = page.page.text
    assert "A text with a link has been sent to Ada Lovelace" in content
    assert "Hand, Forearm" in content
    assert "Text delivered" in content


def test_the_words_sent_are_kept_when_the_template_changes(clinician, practice, patient):
    photo_request = make_request(clinician, patient)
    rash = template(practice, "Rash")
    rash.patient_message = "Something else entirely."
    rash.save()

    photo_request.refresh_from_db()
    assert photo_request.reason == "We would like to see the rash you told us about."


def test_a_clinician_may_use_a_template_the_admin_team_may_not(clinician_client, practice, patient):
    response = post_request(clinician_client, patient, template_id=template(practice, "Mole").id)

    assert response.status_code == 302
    assert PhotoRequest.objects.get().template.name == "Mole"


def test_the_link_holds_a_long_random_token_kept_only_as_its_hash(
    clinician_client, practice, patient
):
    post_request(clinician_client, patient, template_id=template(practice, "Rash").id)

    photo_request = PhotoRequest.objects.get()
    link = PatientLink.objects.get()
    [text] = texts_for(photo_request)
    token = token_in(text)
    # 128 bits in url-safe base64 is at least 22 characters.
    assert len(token) >= 22
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert link.photo_request == photo_request
    assert hashlib.sha256(token.encode()).hexdigest() == link.token_sha256
    assert f"{settings.SERVICE_BASE_URL}/p/{token}" in text.body
    # The token is in no column: a copy of the database cannot open the link.
    for row in (link, photo_request):
        for field in row._meta.concrete_fields:
            assert token not in str(field.value_from_object(row)), field.name
    assert token not in text.body_encrypted
    for entry in AuditEntry.objects.all():
        assert token not in json.dumps(entry.detail)


def test_each_request_gets_a_different_token(clinician, patient):
    tokens = {token_in(texts_for(make_request(clinician, patient))[0]) for _ in range(5)}

    assert len(tokens) == 5


def test_the_link_lasts_as_long_as_the_practice_says(clinician_client, practice, patient):
    practice.link_lifetime_days = 3
    practice.save()

    post_request(clinician_client, patient, template_id=template(practice, "Rash").id)

    link = PatientLink.objects.get()
    assert link.expires_at - link.created_at == timedelta(days=3)
    assert link.expires_at > timezone.now() + timedelta(days=2, hours=23)
    [text] = TextMessage.objects.all()
    assert f"Use this link until {link_expiry(link.expires_at)}" in text.body


def test_one_text_is_sent_to_the_patients_mobile(clinician_client, practice, patient):
    post_request(clinician_client, patient, template_id=template(practice, "Rash").id)

    [text] = TextMessage.objects.all()
    assert text.photo_request == PhotoRequest.objects.get()
    assert text.to == "+447700900123"
    assert text.backend == "outbox"
    assert text.status == TextMessage.Status.DELIVERED
    assert text.delivered_at is not None


def test_the_text_is_queued_with_the_request_then_delivered(settings, clinician, patient):
    """With the worker not yet run, the text waits in the queue; running it delivers it."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    try:
        photo_request = make_request(clinician, patient)
        [text] = texts_for(photo_request)
        assert text.status == TextMessage.Status.QUEUED
        [queued] = default_task_backend.results
        assert queued.args == [str(text.id)]

        send_text_message.call(*queued.args)

        text.refresh_from_db()
        assert text.status == TextMessage.Status.DELIVERED
    finally:
        default_task_backend.clear()


def test_asking_writes_exactly_one_audit_entry(clinician_client, clinician, practice, patient):
    post_request(clinician_client, patient, template_id=template(practice, "Rash").id, sites=[HAND])

    photo_request = PhotoRequest.objects.get()
    entry = AuditEntry.objects.get(action=Action.REQUEST_CREATED)
    assert entry.user == clinician
    assert (entry.object_type, entry.object_id) == ("photorequest", str(photo_request.id))
    assert entry.detail == {"template": "Rash", "body_sites": [HAND]}


def test_the_text_says_who_is_asking_and_that_sending_is_optional_and_nothing_clinical(
    clinician_client, practice, patient
):
    note = "Please photograph the patch on your wrist from two angles."
    post_request(
        clinician_client,
        patient,
        template_id=template(practice, "Mole").id,
        sites=[HAND],
        note=note,
    )

    body = TextMessage.objects.get().body
    assert body.startswith("Riverside Surgery has asked you to send photos")
    assert "Sending photos is your choice." in body
    for private in (
        "Ada",
        "Lovelace",
        "9434765919",
        "943 476 5919",
        "1984",
        "7 March",
        "07/03",
        "Mole",
        "mole",
        "worried",
        note,
        "wrist",
        "Hand",
    ):
        assert private not in body, private


@pytest.fixture
def rash_for_admins(practice):
    return template(practice, "Rash")


def test_the_admin_team_may_use_a_template_allowed_them(
    admin_team_client, admin_user, rash_for_admins, patient
):
    response = post_request(admin_team_client, patient, template_id=rash_for_admins.id)

    assert response.status_code == 302
    photo_request = PhotoRequest.objects.get()
    assert photo_request.requested_by == admin_user
    assert TextMessage.objects.count() == 1


def test_the_admin_team_is_refused_a_template_not_allowed_them(
    admin_team_client, practice, patient
):
    response = post_request(admin_team_client, patient, template_id=template(practice, "Mole").id)

    assert response.status_code == 200
    assert response.page.error_summary() == {
        "#id_template": "Choose one of the kinds of request your role may use"
    }
    nothing_saved()


def test_the_admin_team_sees_only_the_templates_allowed_them(admin_team_client, patient):
    response = admin_team_client.get(new_url(patient))

    page = response.page
    assert page.form().options("template") == [str(template(patient.practice, "Rash").id)]
    assert "Rash" in page.text
    assert "We would like to see the rash you told us about." in page.text
    assert "Mole" not in page.source
    assert "We would like to see the mole you are worried about." not in page.source


def test_the_admin_team_is_told_when_no_template_is_allowed_them(
    admin_team_client, practice, patient
):
    practice.request_templates.update(admins_may_use=False)

    response = admin_team_client.get(new_url(patient))

    assert response.page.h1
    assert "There are no kinds of request your role may use" in response.page.text


def test_inactive_templates_are_not_offered_or_accepted(clinician_client, practice, patient):
    mole = template(practice, "Mole")
    mole.is_active = False
    mole.save()

    offered = clinician_client.get(new_url(patient)).page
    assert "Mole" not in offered.source
    assert str(mole.id) not in offered.form().options("template")
    response = post_request(clinician_client, patient, template_id=mole.id)
    assert "#id_template" in response.page.error_summary()
    nothing_saved()


def test_the_practice_manager_may_not_ask_for_photos(manager_client, practice, patient):
    for response in (
        manager_client.get(new_url(patient)),
        post_request(manager_client, patient, template_id=template(practice, "Rash").id),
    ):
        assert response.status_code == 403
        assert response.page.h1
        assert (
            "Only clinicians and the admin team can ask patients for photos" in response.page.text
        )
    nothing_saved()


def test_another_practices_patient_is_not_found(other_clinician_client, other_practice, patient):
    response = post_request(
        other_clinician_client, patient, template_id=template(other_practice, "Rash").id
    )

    assert response.status_code == 404
    assert response.page.h1
    nothing_saved()


def test_a_template_from_another_practice_is_refused(clinician_client, other_practice, patient):
    response = post_request(
        clinician_client, patient, template_id=template(other_practice, "Rash").id
    )

    assert response.page.error_summary() == {
        "#id_template": "Choose one of the kinds of request your role may use"
    }
    nothing_saved()


def test_no_template_is_refused(clinician_client, patient):
    response = post_request(clinician_client, patient, template_id=None)

    assert response.page.error_summary() == {"#id_template": "Choose what the photos are for"}
    nothing_saved()


def test_no_body_site_is_refused(clinician_client, practice, patient):
    response = post_request(
        clinician_client, patient, template_id=template(practice, "Rash").id, sites=[]
    )

    assert response.page.error_summary() == {
        "#id_body_sites": "Choose where on the body the patient should photograph"
    }
    nothing_saved()


@pytest.mark.parametrize("sites", [[BREAST_STRUCTURE], [HAND, BREAST_STRUCTURE], ["hand"]])
def test_a_body_site_not_on_the_list_is_refused(clinician_client, practice, patient, sites):
    response = post_request(
        clinician_client, patient, template_id=template(practice, "Rash").id, sites=sites
    )

    assert response.page.error_summary() == {
        "#id_body_sites": "Choose places on the body from the list"
    }
    nothing_saved()


def test_a_note_over_600_characters_is_refused(clinician_client, practice, patient):
    response = post_request(
        clinician_client, patient, template_id=template(practice, "Rash").id, note="a" * 601
    )

    assert response.page.error_summary() == {
        "#id_note_to_patient": "Note to the patient must be 600 characters or fewer"
    }
    nothing_saved()


def test_a_note_of_exactly_600_characters_is_accepted(clinician_client, practice, patient):
    response = post_request(
        clinician_client, patient, template_id=template(practice, "Rash").id, note="a" * 600
    )

    assert response.status_code == 302
    assert PhotoRequest.objects.get().note_to_patient == "a" * 600


def test_a_note_of_only_spaces_is_refused(clinician_client, practice, patient):
    response = post_request(
        clinician_client, patient, template_id=template(practice, "Rash").id, note="    "
    )

    assert response.page.error_summary() == {
        "#id_note_to_patient": (
            "Note to the patient cannot be only spaces. Write a note or leave it empty"
        )
    }
    nothing_saved()


def test_choices_survive_an_error(clinician_client, practice, patient):
    rash = template(practice, "Rash")

    response = post_request(
        clinician_client, patient, template_id=rash.id, sites=[FOREARM], note="x" * 601
    )

    form = response.page.form()
    assert form.checked("template") == [str(rash.id)]
    assert form.checked("body_sites") == [FOREARM]


def test_the_service_refuses_what_the_form_would(clinician, admin_user, practice, patient):
    """The rules hold for any caller of the service, not only the form."""
    with pytest.raises(PermissionDenied):
        make_request(admin_user, patient, template_name="Mole")
    with pytest.raises(ValueError, match="body site"):
        make_request(clinician, patient, sites=[BREAST_STRUCTURE])
    with pytest.raises(ValueError, match="body site"):
        make_request(clinician, patient, sites=[])
    elsewhere = PatientFactory(practice=PracticeFactory(name="Valley Surgery"))
    with pytest.raises(PermissionDenied):
        services.create_request(
            by=clinician,
            patient=elsewhere,
            template=template(practice, "Rash"),
            body_site_codes=[HAND],
        )
    nothing_saved()
