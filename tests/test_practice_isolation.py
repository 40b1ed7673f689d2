"""A user of practice B asks for every practice-A page, by GET and by POST: each answers 404.

The URLs are read from the URL configuration itself, so a new page is covered the day it is
added; a new kind of id in a URL fails this test until it is given a practice-A object below.
"""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clinical_photos.patient_upload import services as upload_services
from clinical_photos.patient_upload.tests.conftest import jpeg
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import services as request_services
from clinical_photos.records.patient_view import services as patient_view_services
from conftest import logged_in_client, make_user


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


@pytest.fixture
def practice_a_ids(practice, clinician, manager):
    patient = Patient.objects.create(
        practice=practice,
        nhs_number="9434765919",
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=date(1980, 1, 1),
        mobile="+447700900123",
    )
    photo_request = request_services.create_request(
        by=clinician,
        patient=patient,
        template=practice.request_templates.get(name="Rash"),
        body_site_codes=["85562004"],
    )
    link = photo_request.current_link
    upload_services.add_photos(link, [(jpeg(), "hand.jpg", "where")])
    response = upload_services.send_photos(link)
    photo = response.photos.get()
    # Filed, so that the record's own pages have something of practice A's to refuse.
    photo.patient, photo.body_site_code = patient, "85562004"
    photo.save(update_fields=["patient", "body_site_code"])
    view_link = patient_view_services.send_view_link(
        by=clinician, patient=patient, body_site_code="85562004"
    )
    return {
        "view_link_id": view_link.id,
        "patient_id": patient.id,
        "request_id": photo_request.id,
        "response_id": response.id,
        "photo_id": photo.id,
        "user_id": clinician.id,
        "template_id": practice.request_templates.first().id,
        "message_id": photo_request.text_messages.first().id,
    }


@pytest.mark.parametrize("role", ["clinician", "practice_manager", "admin"])
def test_another_practices_staff_get_404_for_every_practice_page(
    practice_a_ids, other_practice, role
):
    outsider = logged_in_client(make_user(other_practice, role, f"{role}@hilltop.test"))
    checked = 0
    for name, pattern in _named_patterns():
        kwargs = pattern.pattern.converters.keys()
        # Patients' pages answer to a patient's own session, not to staff logins; their
        # tests (patient_upload/tests) show another link's session cannot reach them.
        patients_page = name.startswith(("patient_upload:", "patient_view:"))
        staff_page = name in ("patient_view:send", "patient_view:revoke")
        if not kwargs or (patients_page and not staff_page):
            continue
        unknown = set(kwargs) - practice_a_ids.keys()
        assert not unknown, f"{name} takes {unknown}: add a practice-A object for it above"
        url = reverse(name, kwargs={k: practice_a_ids[k] for k in kwargs})
        for method in ("get", "post"):
            response = getattr(outsider, method)(url)
            assert response.status_code in (404, 405), (
                f"{method.upper()} {url} answered {response.status_code}"
            )
            checked += response.status_code == 404
    assert checked >= 8
