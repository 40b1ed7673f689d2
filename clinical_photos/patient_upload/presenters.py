"""The words each patient page needs, worked out from the link and its request."""

from django.urls import reverse
from django.utils import timezone

from clinical_photos.messaging.text import link_expiry
from clinical_photos.photo_requests.models import PatientLink
from clinical_photos.photos import quality
from clinical_photos.photos.models import Label


def agreement_page(link: PatientLink) -> dict:
    request = link.photo_request
    patient = request.patient
    return {
        "page_title": f"{request.practice.name} has asked you for photos",
        "practice": request.practice,
        "requested_by": request.requested_by.full_name,
        "reason": request.reason,
        "note": request.note_to_patient,
        "body_sites": [site.label.lower() for site in request.body_sites],
        "under_18": patient.age_on(timezone.localdate()) < 18,
        "expires": link_expiry(link.expires_at),
    }


def photo_advice(problems) -> dict | None:
    """What a patient is told about a photo the checks found problems with, or None.

    The first problem is the one most worth fixing: its words head the advice, and any others
    follow in full. The same shape is sent to the page's script (`photo_json`).
    """
    known = [code for code in quality.PROBLEMS if code in (problems or ())]
    if not known:
        return None
    first, *others = (quality.PATIENT_ADVICE[code] for code in known)
    return {
        "title": first.title,
        "paragraphs": [first.what_to_do, *(f"{a.title}. {a.what_to_do}" for a in others)],
    }


# What each photo shows, in the words the patient chose it with on the choose-photos page.
_SHOWS = {
    Label.WHERE: "where the problem is on your body",
    Label.CLOSE_UP: "a close-up",
}


def chosen_photos(photos) -> list[dict]:
    """Each chosen, unsent photo as the choose and check pages list it: what it shows, its
    preview (made when it arrived; photos from before previews have none), any advice."""
    return [
        {
            "id": photo.id,
            "number": number,
            "description": _SHOWS.get(photo.label, photo.get_label_display().lower()),
            "preview_url": reverse("patient_upload:photo_preview", args=[photo.id])
            if photo.preview_ciphertext is not None
            else None,
            "advice": photo_advice(photo.problems),
        }
        for number, photo in enumerate(photos, start=1)
    ]


def photo_json(photo, number: int) -> dict:
    """A photo just kept, for the page's script: what it shows and what the checks found."""
    return {
        "id": str(photo.id),
        "number": number,
        "label": photo.label,
        "width": photo.width,
        "height": photo.height,
        "problems": [
            {
                "code": code,
                "title": quality.PATIENT_ADVICE[code].title,
                "what_to_do": quality.PATIENT_ADVICE[code].what_to_do,
            }
            for code in quality.PROBLEMS
            if code in (photo.problems or ())
        ],
        "remove_url": reverse("patient_upload:remove_photo", args=[photo.id]),
    }
