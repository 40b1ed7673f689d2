"""The patient's own view: a clinician texts a link; the patient sees their photos of one site.

The rules are the patient upload's: the token leaves only in the text (the service keeps its
SHA-256), the link lasts the practice's link lifetime, the patient gives their date of birth
and five wrong ones lock the link. After that a short session of its own (a signed cookie,
separate from the upload's) names the link, and every page checks the link again, so revoking
or expiry ends it at once. Removed photos and photos entered in error are never shown.
"""

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinical_photos.accounts.models import User
from clinical_photos.accounts.permissions import Permission, require
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record
from clinical_photos.core.date_of_birth import MAX_ATTEMPTS, DateOfBirthResult, dates_match
from clinical_photos.messaging.services import queue_text
from clinical_photos.messaging.text import link_expiry
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import body_sites
from clinical_photos.photos.models import Photo

from .models import PatientViewLink

# As for upload links: 18 random bytes, 144 bits, 24 url-safe characters.
TOKEN_BYTES = 18
MAX_DATE_OF_BIRTH_ATTEMPTS = MAX_ATTEMPTS
SESSION_SALT = "clinical_photos.records.patient_view.session"

# Typographic punctuation a practice name may carry, and its GSM 03.38 equivalent (one
# character outside GSM turns the whole text into UCS-2 and halves what fits).
_GSM_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


class LinkState(enum.Enum):
    OPEN = "open"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    LOCKED = "locked"
    EXPIRED = "expired"


class NoPhotosAtSite(ValueError):
    """The patient has no photos they could see at this body site."""


# The text ---------------------------------------------------------------------------------


def patient_view_text(*, practice_name: str, link_url: str, expires_at) -> str:
    """The text with the link: who sent it, what it is for, how long it works. Nothing clinical,
    no name: a phone can be shared, lost or read over someone's shoulder."""
    practice = practice_name.strip().translate(_GSM_PUNCTUATION)
    return (
        f"{practice} has sent you a link to see your photos that are in your GP record. "
        f"Use this link until {link_expiry(expires_at)}: {link_url}\n"
        "Do not reply to this message."
    )


def link_url(token: str) -> str:
    path = reverse("patient_view:open_link", kwargs={"token": token})
    return f"{settings.SERVICE_BASE_URL.rstrip('/')}{path}"


# What the patient may see -----------------------------------------------------------------


def visible_photos(patient: Patient, body_site_code: str):
    """The patient's filed photos of one site that are still in the record, oldest first."""
    return patient.photos.filter(
        practice_id=patient.practice_id,
        body_site_code=body_site_code,
        removed_at__isnull=True,
        entered_in_error_at__isnull=True,
    ).order_by("created_at", "position", "id")


@dataclass(frozen=True)
class SiteChoice:
    site: body_sites.BodySite
    photos: int
    first: date
    last: date


def sites_with_photos(patient: Patient) -> list[SiteChoice]:
    """The body sites a patient could be sent a link for: those with photos they could see."""
    photos = patient.photos.filter(
        practice_id=patient.practice_id,
        removed_at__isnull=True,
        entered_in_error_at__isnull=True,
    ).values_list("body_site_code", "created_at")
    found: dict[str, list] = {}
    for code, created_at in photos:
        found.setdefault(code, []).append(timezone.localtime(created_at).date())
    choices = []
    for site in body_sites.BODY_SITES:
        if site.code in found:
            days = found[site.code]
            choices.append(SiteChoice(site, len(days), min(days), max(days)))
    return choices


def _request_for_site(patient: Patient, body_site_code: str):
    """The request whose answer holds the newest photo of this site: the text is kept with it."""
    newest = (
        visible_photos(patient, body_site_code)
        # Only the patient's own requests: a photo filed here from a request sent to someone
        # else (the wrong patient was asked) must not put this patient's text in their history.
        .filter(response__isnull=False, response__photo_request__patient=patient)
        .select_related("response__photo_request")
        .order_by("-created_at")
        .first()
    )
    return newest.response.photo_request if newest is not None else None


# Sending the link -------------------------------------------------------------------------


def send_view_link(*, by: User, patient: Patient, body_site_code: str) -> PatientViewLink:
    """Make a link to the patient's photos of one site and text it to them (audited)."""
    require(by, Permission.SEND_PATIENT_VIEW_LINK, of=patient)
    if body_sites.get(body_site_code) is None:
        raise NoPhotosAtSite("The body site is not on the list.")
    with transaction.atomic():
        photo_request = _request_for_site(patient, body_site_code)
        if photo_request is None:
            raise NoPhotosAtSite("The patient has no photos of this body site.")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = timezone.now()
        link = PatientViewLink.objects.create(
            practice=patient.practice,
            patient=patient,
            body_site_code=body_site_code,
            token_sha256=hash_token(token),
            created_by=by,
            created_at=now,
            expires_at=now + timedelta(days=patient.practice.link_lifetime_days),
        )
        record(
            Action.PATIENT_VIEW_LINK_SENT,
            user=by,
            target=link,
            detail={"body_site": body_site_code, "photo_request": str(photo_request.id)},
        )
        queue_text(
            photo_request=photo_request,
            to=patient.mobile,
            body=patient_view_text(
                practice_name=patient.practice.name,
                link_url=link_url(token),
                expires_at=link.expires_at,
            ),
        )
    return link


# Opening the link -------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_link(token: str) -> PatientViewLink | None:
    if not token or len(token) > 100:
        return None
    return (
        PatientViewLink.objects.select_related("practice", "patient")
        .filter(token_sha256=hash_token(token))
        .first()
    )


def link_by_id(link_id: str | None) -> PatientViewLink | None:
    """The link a patient's session names (patients' pages have no practice to start from)."""
    if not link_id:
        return None
    return PatientViewLink.objects.select_related("practice", "patient").filter(id=link_id).first()


def link_state(link: PatientViewLink | None) -> LinkState:
    if link is None:
        return LinkState.UNKNOWN
    if link.revoked_at is not None:
        return LinkState.REVOKED
    if link.locked_at is not None:
        return LinkState.LOCKED
    if link.expires_at <= timezone.now():
        return LinkState.EXPIRED
    return LinkState.OPEN


def check_date_of_birth(link: PatientViewLink | None, given: date) -> DateOfBirthResult:
    """The patient's date of birth against the link's patient. Five wrong ones lock the link."""
    with transaction.atomic():
        if link is None:
            # Same work as a wrong date for a real link: a comparison and a locked update.
            dates_match(None, given)
            PatientViewLink.objects.select_for_update().filter(pk=None).update(
                failed_date_of_birth_attempts=0
            )
            return DateOfBirthResult(verified=False)
        locked_link = PatientViewLink.objects.select_for_update().get(pk=link.pk)
        if locked_link.locked_at is not None:
            return DateOfBirthResult(verified=False, locked=True)
        if dates_match(link.patient.date_of_birth, given):
            record(Action.PATIENT_VERIFIED, practice=link.practice, target=link)
            return DateOfBirthResult(verified=True)
        locked_link.failed_date_of_birth_attempts += 1
        if locked_link.failed_date_of_birth_attempts >= MAX_DATE_OF_BIRTH_ATTEMPTS:
            locked_link.locked_at = timezone.now()
        locked_link.save(update_fields=["failed_date_of_birth_attempts", "locked_at"])
        record(
            Action.LINK_LOCKED if locked_link.locked_at else Action.DATE_OF_BIRTH_WRONG,
            practice=link.practice,
            target=link,
            detail={"attempts": locked_link.failed_date_of_birth_attempts},
        )
        return DateOfBirthResult(verified=False, locked=locked_link.locked_at is not None)


def record_photos_viewed(link: PatientViewLink, *, photos: int) -> None:
    with transaction.atomic():
        record(
            Action.PATIENT_VIEWED_OWN_PHOTOS,
            practice=link.practice,
            target=link,
            detail={"body_site": link.body_site_code, "photos": photos},
        )


def photo_for_link(link: PatientViewLink, photo_id) -> Photo | None:
    """One photo the link shows, or None (another site, removed, in error, someone else's)."""
    return visible_photos(link.patient, link.body_site_code).filter(id=photo_id).first()


# The patient's short session --------------------------------------------------------------


def session_cookie_name() -> str:
    # The lead adds PATIENT_VIEW_SESSION_COOKIE_NAME to settings; until then, the same choice
    # the settings make for the upload's cookie (__Host- needs a secure cookie).
    name = getattr(settings, "PATIENT_VIEW_SESSION_COOKIE_NAME", None)
    if name:
        return name
    return (
        "__Host-patient-view-session" if settings.SESSION_COOKIE_SECURE else "patient-view-session"
    )


def _session_max_age() -> int:
    return settings.PATIENT_SESSION_MINUTES * 60


def start_session(response, link: PatientViewLink) -> None:
    """Begin (or renew) the session for this link on the response."""
    value = signing.dumps({"view_link": str(link.id)}, salt=SESSION_SALT, compress=True)
    response.set_cookie(
        session_cookie_name(),
        value,
        max_age=_session_max_age(),
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def end_session(response) -> None:
    response.delete_cookie(session_cookie_name(), path="/", samesite="Lax")


def session_link_id(request) -> str | None:
    value = request.COOKIES.get(session_cookie_name())
    if not value:
        return None
    try:
        return signing.loads(value, salt=SESSION_SALT, max_age=_session_max_age())["view_link"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def had_session(request) -> bool:
    return session_cookie_name() in request.COOKIES
