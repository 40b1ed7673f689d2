"""How the links a patient was sent read to the clinician: where, when, and whether they work."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from clinical_photos.patient_links.models import LinkState
from clinical_photos.photo_requests import body_sites

# What each state of a link is called on the clinician's page, and its tag's colour. One or two
# words, so a tag stays on one line beside its heading on a phone; the page says above the
# table that a new link replaces the one before it.
STATE_TAGS = {
    LinkState.OPEN: ("Working", "green"),
    LinkState.LOCKED: ("Locked", "red"),
    LinkState.EXPIRED: ("Expired", "grey"),
    LinkState.REPLACED: ("Replaced", "grey"),
    LinkState.REVOKED: ("Stopped", "grey"),
}


@dataclass(frozen=True)
class SentLink:
    site: str
    sent_at: datetime
    sent_by: str
    expires_at: datetime
    state_text: str
    state_colour: str
    stopped_by: str
    # The page that stops it, while there is anything to stop (PatientViewLink.can_be_stopped).
    revoke_url: str | None


def sent_links(links) -> list[SentLink]:
    rows = []
    for link in links:
        state = link.state()
        text, colour = STATE_TAGS[state]
        site = body_sites.get(link.body_site_code)
        rows.append(
            SentLink(
                site=site.label if site else link.body_site_code,
                sent_at=link.created_at,
                sent_by=link.created_by.full_name,
                expires_at=link.expires_at,
                state_text=text,
                state_colour=colour,
                stopped_by=link.revoked_by.full_name if link.revoked_by else "",
                revoke_url=(
                    reverse("patient_view:revoke", args=[link.id]) if link.can_be_stopped else None
                ),
            )
        )
    return rows
