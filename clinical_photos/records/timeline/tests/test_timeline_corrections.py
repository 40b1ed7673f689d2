"""Clinicians correct a photo's body site or condition, or mark it entered in error; audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.photo_requests.tests.factories import FOREARM, HAND
from clinical_photos.records.timeline import services

pytestmark = pytest.mark.django_db


def details_url(photo):
    return reverse("record:change_details", args=[photo.id])


def test_the_form_shows_the_photo_s_details(clinician_client, photo):
    form = clinician_client.get(details_url(photo)).page.form()
    assert form.value("body_site") == FOREARM


def test_a_clinician_changes_the_site_and_names_the_condition(clinician_client, clinician, photo):
    response = clinician_client.post(
        details_url(photo), {"body_site": HAND, "condition": "Contact dermatitis"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("record:timeline", args=[photo.patient_id])
    photo.refresh_from_db()
    assert (photo.body_site_code, photo.condition) == (HAND, "Contact dermatitis")
    [entry] = AuditEntry.objects.filter(action=Action.PHOTO_DETAILS_CHANGED)
    assert entry.user == clinician
    assert entry.detail == {
        "body_site": {"old": FOREARM, "new": HAND},
        "fields": ["body_site_code", "condition"],
    }
    assert "dermatitis" not in str(entry.detail)


def test_nothing_changed_writes_no_entry(clinician_client, photo):
    clinician_client.post(details_url(photo), {"body_site": FOREARM, "condition": ""})
    assert not AuditEntry.objects.filter(action=Action.PHOTO_DETAILS_CHANGED).exists()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"body_site": "123456", "condition": ""}, "Choose a body site from the list"),
        ({"body_site": "", "condition": ""}, "Choose where on the body the photo shows"),
        ({"body_site": HAND, "condition": "x" * 101}, "100 characters or fewer"),
    ],
)
def test_a_site_not_on_the_list_or_a_long_condition_is_refused(
    clinician_client, photo, form, message
):
    response = clinician_client.post(details_url(photo), form)
    assert response.status_code == 200
    assert response.page.h1
    assert message in response.page.text
    photo.refresh_from_db()
    assert (photo.body_site_code, photo.condition) == (FOREARM, "")
    assert not AuditEntry.objects.filter(action=Action.PHOTO_DETAILS_CHANGED).exists()


def test_the_service_refuses_a_site_not_on_the_list(clinician, photo):
    with pytest.raises(services.UnknownBodySite):
        services.change_photo_details(
            by=clinician, photo=photo, body_site_code="999999", condition=""
        )


def test_the_service_refuses_an_admin(admin_user, photo):
    with pytest.raises(PermissionDenied):
        services.change_photo_details(by=admin_user, photo=photo, body_site_code=HAND, condition="")


def test_a_clinician_marks_a_photo_entered_in_error(clinician_client, clinician, photo):
    url = reverse("record:entered_in_error", args=[photo.id])
    assert clinician_client.get(url).page.h1
    assert clinician_client.post(url).status_code == 302
    photo.refresh_from_db()
    assert photo.entered_in_error_by == clinician
    assert photo.entered_in_error_at is not None
    # Marking twice changes nothing and writes one entry.
    clinician_client.post(url)
    assert AuditEntry.objects.filter(action=Action.PHOTO_ENTERED_IN_ERROR).count() == 1


@pytest.mark.parametrize("who", ["admin_team_client", "manager_client"])
@pytest.mark.parametrize("name", ["record:change_details", "record:entered_in_error"])
def test_admins_and_managers_cannot_correct(request, who, name, photo):
    client = request.getfixturevalue(who)
    url = reverse(name, args=[photo.id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"body_site": HAND}).status_code == 403
    photo.refresh_from_db()
    assert photo.body_site_code == FOREARM and photo.entered_in_error_at is None


def test_a_removed_photo_cannot_be_corrected(clinician_client, clinician, photo):
    from clinical_photos.records.timeline import services as timeline_services

    timeline_services.remove_from_record(
        by=clinician, photo=photo, reason="other", detail="A photo of the wrong rash"
    )
    assert clinician_client.post(details_url(photo), {"body_site": HAND}).status_code == 404
