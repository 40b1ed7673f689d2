"""What the export and patient-view tests share: a URL conf with their pages mounted, and
photos filed into a patient's record.

The URL conf adds /export/ and /v/ only if the project's own does not mount them yet, so the
tests run the same before and after the lead wires them in. Filing is set on the rows directly
(the filing screens have tests of their own), after the photos went through the patient's real
journey: a request, the photos added, then sent.
"""

import io
import re
from datetime import date, datetime

from django.urls import include, path
from django.utils import timezone
from PIL import Image

from clinical_photos.config import urls as project_urls
from clinical_photos.messaging.models import TextMessage
from clinical_photos.patient_upload import services as upload_services
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photos.models import Photo
from clinical_photos.records.models import Filing

URLCONF = __name__
HAND = "85562004"
KNEE = "72696002"
DATE_OF_BIRTH = date(1984, 3, 7)

_mounted = {getattr(p, "namespace", None) for p in project_urls.urlpatterns}
urlpatterns = list(project_urls.urlpatterns)
if "export" not in _mounted:
    urlpatterns.append(path("export/", include("clinical_photos.records.subject_access.urls")))
if "patient_view" not in _mounted:
    urlpatterns.append(path("v/", include("clinical_photos.records.patient_view.urls")))
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def jpeg(colour=(200, 120, 90), width=640, height=480) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    for x in range(0, width, 40):
        image.paste((colour[0] // 2, colour[1], 255 - colour[2]), (x, 0, x + 12, height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def make_patient(practice, nhs_number="9434765919", given_name="Ada") -> Patient:
    return Patient.objects.create(
        practice=practice,
        nhs_number=nhs_number,
        given_name=given_name,
        family_name="Lovelace",
        date_of_birth=DATE_OF_BIRTH,
        mobile="+447700900123",
    )


def file_photos(
    *,
    by,
    patient,
    body_site=HAND,
    labels=("where", "close_up"),
    sent_on: datetime | None = None,
    condition: str = "",
    colour=(200, 120, 90),
) -> list[Photo]:
    """A request answered with one photo per label, filed into the patient's record."""
    photo_request = request_services.create_request(
        by=by,
        patient=patient,
        template=patient.practice.request_templates.get(name="Rash"),
        body_site_codes=[body_site],
    )
    link = photo_request.links.get()
    _, problems = upload_services.add_photos(
        link,
        [
            (jpeg((colour[0], colour[1], (colour[2] + 30 * i) % 255)), f"photo{i}.jpg", label)
            for i, label in enumerate(labels)
        ],
    )
    assert not problems, problems
    response = upload_services.send_photos(link)
    Filing.objects.create(
        practice=patient.practice, response=response, patient=patient, filed_by=by
    )
    photos = Photo.objects.filter(response=response)
    photos.update(patient=patient, body_site_code=body_site, condition=condition)
    if sent_on is not None:
        photos.update(created_at=sent_on)
        type(response).objects.filter(pk=response.pk).update(created_at=sent_on)
    return list(Photo.objects.filter(response=response).order_by("position"))


def on(year, month, day) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 10, 30))


def dob_form(born: date = DATE_OF_BIRTH) -> dict:
    return {
        "date_of_birth_0": str(born.day),
        "date_of_birth_1": str(born.month),
        "date_of_birth_2": str(born.year),
    }


def view_token_of(patient) -> str:
    """The token in the newest patient-view text sent to this patient."""
    bodies = TextMessage.objects.filter(photo_request__patient=patient).order_by("-created_at")
    for message in bodies:
        found = re.search(r"/v/([A-Za-z0-9_-]{20,})", message.body)
        if found:
            return found.group(1)
    raise AssertionError("No patient-view text was sent")
