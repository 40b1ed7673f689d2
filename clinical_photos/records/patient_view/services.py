"""The patient's own view: a clinician texts a link; the patient sees their photos of one site.

The link is like every link a patient is texted (patient_links): the token leaves only in the
text, the link lasts the practice's link lifetime, the patient gives their date of birth, and
five wrong ones lock it. A new link for the same site replaces the one before it, and a
clinician can stop a link at once. Removed photos and photos entered in error are never shown.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinical_photos.accounts.models import User
from clinical_photos.accounts.permissions import Permission, require
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record
from clinical_photos.messaging.services import queue_text
from clinical_photos.messaging.text import patient_view_text
from clinical_photos.patient_links import services as links
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import body_sites
from clinical_photos.photos.models import Photo

from .models import PatientViewLink


class NoPhotosAtSite(ValueError):
    """The patient has no photos they could see at this body site."""


class AlreadyStopped(Exception):
    """The link had already stopped working (revoked, replaced or expired) before this."""


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


# Sending and stopping the link -----------------------------------------------------------


def send_view_link(*, by: User, patient: Patient, body_site_code: str) -> PatientViewLink:
    """Make a link to the patient's photos of one site and text it to them (audited).

    A link already sent for this site stops working: the newest text is the one to use.
    """
    require(by, Permission.SEND_PATIENT_VIEW_LINK, of=patient)
    if body_sites.get(body_site_code) is None:
        raise NoPhotosAtSite("The body site is not on the list.")
    with transaction.atomic():
        photo_request = _request_for_site(patient, body_site_code)
        if photo_request is None:
            raise NoPhotosAtSite("The patient has no photos of this body site.")
        # Two sends at once (a double click) take turns on the patient's row, so the second
        # replaces the first's link rather than breaking the one-working-link constraint.
        Patient.objects.select_for_update(no_key=True).get(pk=patient.pk)
        replaced = links.replace_current(
            PatientViewLink.objects.filter(patient=patient, body_site_code=body_site_code)
        )
        link, token = links.issue(
            PatientViewLink,
            lifetime_days=patient.practice.link_lifetime_days,
            practice=patient.practice,
            patient=patient,
            body_site_code=body_site_code,
            created_by=by,
        )
        record(
            Action.PATIENT_VIEW_LINK_SENT,
            user=by,
            target=link,
            detail={
                "body_site": body_site_code,
                "photo_request": str(photo_request.id),
                "replaced": replaced,
            },
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


def revoke_view_link(*, by: User, link: PatientViewLink) -> PatientViewLink:
    """Stop the link working at once; a patient using it is shown that it has been stopped."""
    require(by, Permission.SEND_PATIENT_VIEW_LINK, of=link)
    with transaction.atomic():
        locked = PatientViewLink.objects.select_for_update(no_key=True).get(pk=link.pk)
        if not locked.can_be_stopped:
            raise AlreadyStopped
        locked.revoked_at, locked.revoked_by = timezone.now(), by
        locked.save(update_fields=["revoked_at", "revoked_by"])
        record(
            Action.PATIENT_VIEW_LINK_REVOKED,
            user=by,
            target=locked,
            detail={"body_site": locked.body_site_code},
        )
    return locked


def links_sent(patient: Patient):
    """The view links sent to the patient, newest first, with who sent and who stopped each."""
    return patient.view_links.filter(practice_id=patient.practice_id).select_related(
        "created_by", "revoked_by"
    )


# Opening the link -------------------------------------------------------------------------


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
