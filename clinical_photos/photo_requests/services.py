"""Asking for photos, cancelling and sending again. Each is one transaction with its audit entry.

The link's token is made by patient_links and leaves only in the text message.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from clinical_photos.accounts.models import User
from clinical_photos.accounts.permissions import Permission, require
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record
from clinical_photos.messaging.services import queue_text
from clinical_photos.messaging.text import photo_request_text
from clinical_photos.patient_links import services as links
from clinical_photos.patients.models import Patient

from . import body_sites, lifecycle
from .forms import usable_templates
from .models import FollowUp, PatientLink, PhotoRequest, RequestTemplate

# What cancel_request and resend_request raise when the request has ended meanwhile.
RequestNotOpen = lifecycle.RequestNotOpen


def link_url(token: str) -> str:
    path = reverse("patient_upload:open_link", kwargs={"token": token})
    return f"{settings.SERVICE_BASE_URL.rstrip('/')}{path}"


def _issue_link(photo_request: PhotoRequest) -> tuple[PatientLink, str]:
    return links.issue(
        PatientLink,
        photo_request=photo_request,
        lifetime_days=photo_request.practice.link_lifetime_days,
    )


def _send_link(
    photo_request: PhotoRequest, link: PatientLink, token: str, *, again: bool | None = None
) -> None:
    if again is None:
        again = FollowUp.objects.filter(photo_request=photo_request).exists()
    body = photo_request_text(
        practice_name=photo_request.practice.name,
        link_url=link_url(token),
        expires_at=link.expires_at,
        again=again,
    )
    queue_text(photo_request=photo_request, to=photo_request.patient.mobile, body=body)


def create_request(
    *,
    by: User,
    patient: Patient,
    template: RequestTemplate,
    body_site_codes: list[str],
    note_to_patient: str = "",
) -> PhotoRequest:
    # The form checks these too; checked again here because services are the rule's home.
    require(by, Permission.REQUEST_PHOTOS, of=patient)
    if not usable_templates(by).filter(id=template.id).exists():
        raise PermissionDenied("This user may not use this template.")
    if not body_site_codes or any(body_sites.get(code) is None for code in body_site_codes):
        raise ValueError("Every body site must come from the list.")
    with transaction.atomic():
        return make_and_send(
            by=by,
            patient=patient,
            template=template,
            reason=template.patient_message,
            body_site_codes=body_site_codes,
            note_to_patient=note_to_patient,
        )


def make_and_send(
    *,
    by: User,
    patient: Patient,
    template,
    reason,
    body_site_codes,
    note_to_patient,
    detail=None,
    follow_up: bool = False,
) -> PhotoRequest:
    """The request, its link, its audit entry and its text, in the caller's transaction.

    For callers that have checked the rules already: `create_request` above, and a follow-up
    series (follow_ups.py), whose request was allowed when the clinician started the series.
    """
    photo_request = PhotoRequest.objects.create(
        practice=patient.practice,
        patient=patient,
        requested_by=by,
        template=template,
        reason=reason,
        note_to_patient=note_to_patient,
        body_site_codes=list(dict.fromkeys(body_site_codes)),
    )
    link, token = _issue_link(photo_request)
    record(
        Action.REQUEST_CREATED,
        user=by,
        target=photo_request,
        detail={
            "template": template.name,
            "body_sites": photo_request.body_site_codes,
            **(detail or {}),
        },
    )
    _send_link(photo_request, link, token, again=follow_up)
    return photo_request


def cancel_request(*, by: User, photo_request: PhotoRequest) -> PhotoRequest:
    require(by, Permission.REQUEST_PHOTOS, of=photo_request)
    with transaction.atomic():
        locked = lifecycle.lock_open(photo_request)
        lifecycle.cancel(locked, by=by)
        record(Action.REQUEST_CANCELLED, user=by, target=locked)
    return locked


def unsent_photo_count(photo_request: PhotoRequest) -> int:
    """Photos the patient has added through the current link and not sent yet.

    Staff never see them; the count is what sending the text again would carry over.
    """
    link = photo_request.current_link
    return link.photos.filter(response__isnull=True).count() if link else 0


@dataclass(frozen=True)
class Resent:
    photo_request: PhotoRequest
    # The patient's unsent photos that moved to the new link.
    photos_carried_over: int


def resend_request(*, by: User, photo_request: PhotoRequest) -> Resent:
    """A new link in a new text; the old link stops working at once.

    Photos the patient added through the old link and has not sent yet move to the new one,
    so a patient half-way through does not lose them (nor have to take them again).
    """
    require(by, Permission.REQUEST_PHOTOS, of=photo_request)
    with transaction.atomic():
        locked = lifecycle.lock_open(photo_request)
        old_links = list(locked.links.current().values_list("pk", flat=True))
        # Updating the old link waits for a photo the patient is adding through it (adding
        # locks the link's row), so that photo is committed before the move below looks.
        links.replace_current(locked.links)
        link, token = _issue_link(locked)
        carried = sum(
            old.photos.filter(response__isnull=True).update(link=link)
            for old in PatientLink.objects.filter(pk__in=old_links)
        )
        record(
            Action.REQUEST_RESENT,
            user=by,
            target=locked,
            detail={"photos_carried_over": carried},
        )
        _send_link(locked, link, token)
    return Resent(locked, carried)


def record_request_viewed(*, by: User, photo_request: PhotoRequest) -> None:
    with transaction.atomic():
        record(Action.REQUEST_VIEWED, user=by, target=photo_request)
