"""The words each patient page needs, worked out from the link and its request."""

from django.utils import timezone

from clinical_photos.messaging.text import link_expiry
from clinical_photos.photo_requests.models import PatientLink

from .services import LinkState

# What each kind of dead link says: a title and why, never naming the patient.
LINK_STATES = {
    LinkState.UNKNOWN: (
        "This link does not work",
        "Check you copied the whole link from your text message. If it still does not work, "
        "contact your GP surgery.",
    ),
    LinkState.CANCELLED: (
        "This request has been cancelled",
        "Your GP surgery no longer needs photos for this request. You do not need to do "
        "anything. If you think they still need to see the problem, contact them.",
    ),
    LinkState.REPLACED: (
        "This link has been replaced",
        "Your GP surgery sent you a newer text message with a new link. Use the link in the "
        "newest message.",
    ),
    LinkState.EXPIRED: (
        "This link has expired",
        "Links only work for a few days. If you still want to send photos, contact your GP "
        "surgery and ask them to send a new link.",
    ),
    LinkState.USED: (
        "This link has already been used",
        "Photos have already been sent with this link, or the surgery was told you did not "
        "want to send any. Each link can only be used once.",
    ),
    LinkState.LOCKED: (
        "This link has been locked",
        "The date of birth was entered wrongly too many times, so the link no longer works. "
        "This keeps your information safe. Contact your GP surgery to get a new link.",
    ),
}


def link_state_page(state: LinkState, link: PatientLink | None) -> dict:
    title, body = LINK_STATES[state]
    practice = link.photo_request.practice if link is not None else None
    return {"page_title": title, "body": body, "practice": practice}


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
