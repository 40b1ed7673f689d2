"""Patients are told truthfully where their photos are kept.

Filed photos are kept by the surgery in this service, as part of the patient's care record; no
page or text says they are in the "GP record" or "medical record", which patients take to mean
the surgery's own clinical system (EMIS, SystmOne), which does not see them yet.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinical_photos.core.tests.page_checks import PageClient
from clinical_photos.messaging import text
from clinical_photos.patient_upload import services as upload_services
from clinical_photos.patient_upload.tests.conftest import client_for
from clinical_photos.photo_requests.tests.factories import make_request
from clinical_photos.photos.tests.images import jpeg
from clinical_photos.records.patient_view.tests.conftest import viewer_for
from clinical_photos.records.tests.factories import file_photos, send_view_link

pytestmark = pytest.mark.django_db

UNTRUE = re.compile(r"\b(GP|medical|health) records?\b", re.IGNORECASE)
PLAIN = "as part of your care record"


def words_of(pages) -> dict[str, str]:
    return {path: response.page.text for path, response in pages}


def test_the_upload_journey_says_the_surgery_keeps_the_photos_in_the_care_record(
    clinician, patient
):
    photo_request = make_request(clinician, patient)
    upload_services.add_photos(photo_request.current_link, [(jpeg(), "rash.jpg", "where")])
    patient_client = client_for(photo_request)
    paths = ["agreement", "tips", "choose_photos", "check", "decline"]
    pages = words_of(
        (name, patient_client.get(reverse(f"patient_upload:{name}"))) for name in paths
    )
    patient_client.post(reverse("patient_upload:check"), {"agree": "on"})
    pages["sent"] = patient_client.get(reverse("patient_upload:sent")).page.text
    pages["privacy"] = PageClient().get(reverse("core:privacy")).page.text
    for name, words in pages.items():
        assert not UNTRUE.findall(words), (name, UNTRUE.findall(words))
    assert "The surgery keeps them securely, " + PLAIN in pages["agreement"]
    assert (
        "I agree to the surgery keeping these photos as part of my care record" in (pages["check"])
    )
    assert "The surgery will keep your photos securely, " + PLAIN in pages["sent"]


def test_a_patient_s_own_view_and_its_text_say_care_record(clinician, patient):
    file_photos(by=clinician, patient=patient)
    viewer = viewer_for(send_view_link(by=clinician, patient=patient))
    words = viewer.get(reverse("patient_view:photos")).page.text
    assert not UNTRUE.findall(words)
    assert "that your surgery keeps in your care record" in words
    message = text.patient_view_text(
        practice_name="Riverside Surgery",
        link_url="https://photos.example/v/abc",
        expires_at=timezone.now() + timedelta(days=7),
    )
    assert not UNTRUE.findall(message)
    assert "care record" in message
