"""Photos in a patient's record, put there the way the service puts them: asked for, sent by
the patient, then filed (records.filing.services) and, where a clinician named a condition,
corrected (records.timeline.services). Only the date they were sent is set by hand."""

import re
from datetime import datetime

from django.utils import timezone

from clinical_photos.messaging.models import TextMessage
from clinical_photos.patient_upload.tests.factories import send_photos
from clinical_photos.photo_requests.tests.factories import HAND, make_request
from clinical_photos.photos.models import Photo
from clinical_photos.photos.tests.images import jpeg
from clinical_photos.records.filing import services as filing_services
from clinical_photos.records.patient_view import services as patient_view_services
from clinical_photos.records.timeline import services as timeline_services


def on(year, month, day) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 10, 30))


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
    """`by` asks for photos of `body_site`; the patient sends one per label (each a shade of
    `colour`, striped so previews have detail); `by` files them into the patient's record."""
    photo_request = make_request(by, patient, sites=(body_site,))
    shades = [(colour[0], colour[1], (colour[2] + 30 * i) % 255) for i in range(len(labels))]
    response = send_photos(
        photo_request,
        labels,
        photos=[jpeg(size=(800, 600), colour=shade, striped=True) for shade in shades],
    )
    filing_services.file_submission(by=by, response=response)
    photos = Photo.objects.filter(response=response).order_by("position")
    if condition:
        for photo in photos:
            timeline_services.change_photo_details(
                by=by, photo=photo, body_site_code=body_site, condition=condition
            )
    if sent_on is not None:
        photos.update(created_at=sent_on)
        type(response).objects.filter(pk=response.pk).update(created_at=sent_on)
    return list(photos.all())


def view_token_of(patient) -> str:
    """The token in the newest text that gave the patient a link to see their own photos."""
    texts = TextMessage.objects.filter(photo_request__patient=patient).order_by("-created_at")
    for message in texts:
        found = re.search(r"/v/([A-Za-z0-9_-]{20,})", message.body)
        if found:
            return found.group(1)
    raise AssertionError("No patient-view text was sent")


def send_view_link(*, by, patient, body_site=HAND) -> str:
    """`by` texts the patient a link to their photos of `body_site`; the link's token."""
    patient_view_services.send_view_link(by=by, patient=patient, body_site_code=body_site)
    return view_token_of(patient)


def submission_to_review(*, asked_by, filed_by=None, patient, note="", body_site=HAND):
    """`asked_by` asks for photos of `body_site`; the patient sends two with `note`; `filed_by`
    (by default the one who asked) files them. The review that filing opened."""
    photo_request = make_request(asked_by, patient, sites=(body_site,))
    response = send_photos(photo_request, note=note)
    filing = filing_services.file_submission(by=filed_by or asked_by, response=response)
    return filing.review
