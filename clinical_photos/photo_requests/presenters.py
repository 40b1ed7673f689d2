"""How a request's state reads to staff: one tag, in words, with the design system's colours."""

from dataclasses import dataclass

from clinical_photos.messaging.models import TextMessage
from clinical_photos.patient_links.models import LinkState

from .models import PhotoRequest

TEXT_STATUS_WORDS = {
    TextMessage.Status.QUEUED: ("Text queued", "grey"),
    TextMessage.Status.SENT: ("Text sent", "blue"),
    TextMessage.Status.DELIVERED: ("Text delivered", "blue"),
    TextMessage.Status.FAILED: ("Text not delivered", "red"),
}


@dataclass(frozen=True)
class StatusTag:
    text: str
    colour: str

    @property
    def classes(self) -> str:
        return f"nhsuk-tag--{self.colour}"


def latest_text(photo_request: PhotoRequest) -> TextMessage | None:
    # Uses the prefetched messages where the list view prefetched them.
    messages = list(photo_request.text_messages.all())
    return max(messages, key=lambda m: m.created_at) if messages else None


def current_link(photo_request: PhotoRequest):
    # Uses the prefetched links where the list view prefetched them.
    live = [link for link in photo_request.links.all() if link.is_current]
    return max(live, key=lambda link: link.created_at) if live else None


def status_tag(photo_request: PhotoRequest, link=None) -> StatusTag:
    link = link or current_link(photo_request)
    if photo_request.status == PhotoRequest.Status.CANCELLED:
        return StatusTag("Cancelled", "grey")
    if photo_request.status == PhotoRequest.Status.ANSWERED:
        # Received, not sent: "sent" on staff pages is the text's moment ("Text sent").
        return StatusTag("Photos received", "green")
    if photo_request.status == PhotoRequest.Status.DECLINED:
        return StatusTag("Declined", "yellow")
    state = link.state() if link is not None else None
    if state == LinkState.LOCKED:
        return StatusTag("Link locked", "red")
    if state == LinkState.EXPIRED:
        return StatusTag("Expired", "orange")
    text = latest_text(photo_request)
    if text is None:
        return StatusTag("Waiting for photos", "white")
    words, colour = TEXT_STATUS_WORDS[text.status]
    return StatusTag(words, colour)


def photos_words(count: int) -> str:
    return f"{count} photo" if count == 1 else f"{count} photos"


def resent_words(photos_carried_over: int) -> str:
    """What staff are told once the text has gone again."""
    words = "A new text has been sent. The link in the old text no longer works"
    if photos_carried_over == 1:
        return f"{words}. The photo the patient added is on the new link"
    if photos_carried_over:
        return f"{words}. The {photos_carried_over} photos the patient added are on the new link"
    return words
