"""The patient's own view of their photos of one body site, and the clinician's pages to send
the link and to stop it.

The patient's pages work with JavaScript off and need no staff login. Opening the link and the
checks on every later page are every patient link's (patient_links); journey.py gives this
link's words. Every page and every image checks the link again.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from clinical_photos.accounts.permissions import Permission, permission_required
from clinical_photos.core.forms import ConfirmForm
from clinical_photos.core.jinja_helpers import choice_items
from clinical_photos.messaging.text import link_expiry
from clinical_photos.patients.lookups import practice_patient
from clinical_photos.photo_requests import body_sites
from clinical_photos.photos import crypto, storage

from . import presenters, services
from .forms import SendViewLinkForm
from .journey import VIEW

# The address in the text: /v/<token>.
open_link = VIEW.open_link_view()


# The clinician sends the link, and can stop it ----------------------------------------------


def _site_hint(choice: services.SiteChoice) -> str:
    count = f"{choice.photos} photo" + ("" if choice.photos == 1 else "s")
    first, last = (f"{d.day} {d:%B %Y}" for d in (choice.first, choice.last))
    return f"{count}, {first}" if first == last else f"{count}, {first} to {last}"


@permission_required(Permission.SEND_PATIENT_VIEW_LINK, scope=practice_patient)
@require_http_methods(["GET", "POST"])
def send_link(request, patient_id):
    patient = practice_patient(request, patient_id)
    site_choices = services.sites_with_photos(patient)
    form = SendViewLinkForm(
        request.POST if request.method == "POST" else None, site_choices=site_choices
    )
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["body_site"]
        try:
            services.send_view_link(by=request.user, patient=patient, body_site_code=code)
        except services.NoPhotosAtSite:
            form.add_error("body_site", "There are no photos of this body site to show")
        else:
            site = body_sites.get(code)
            messages.success(
                request,
                f"A text with a link to their photos of the {site.label.lower()} has been sent "
                f"to {patient.full_name}",
            )
            return redirect("patients:detail", patient_id=patient.id)
    hints = {choice.site.code: _site_hint(choice) for choice in site_choices}
    return render(
        request,
        "records/patient_view/send.jinja",
        {
            "page_title": f"Send {patient.full_name} a link to see their photos",
            "patient": patient,
            "form": form,
            "site_items": choice_items(form["body_site"], hints) if site_choices else [],
            "lifetime_days": patient.practice.link_lifetime_days,
            "sent_links": presenters.sent_links(services.links_sent(patient)),
        },
    )


def _practice_view_link(request, view_link_id):
    return get_object_or_404(
        request.user.practice.patient_view_links.select_related("patient"), id=view_link_id
    )


@permission_required(Permission.SEND_PATIENT_VIEW_LINK, scope=_practice_view_link)
@require_http_methods(["GET", "POST"])
def revoke_link(request, view_link_id):
    link = _practice_view_link(request, view_link_id)
    patient = link.patient
    site = body_sites.get(link.body_site_code)
    back = redirect("patient_view:send", patient_id=patient.id)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            services.revoke_view_link(by=request.user, link=link)
        except services.AlreadyStopped:
            messages.info(request, "That link had already stopped working. Nothing was changed")
        else:
            messages.success(
                request,
                f"The link to {patient.full_name}'s photos of the {site.label.lower()} no "
                "longer works",
            )
        return back
    if not link.can_be_stopped:
        messages.info(request, "That link has already stopped working")
        return back
    return render(
        request,
        "records/patient_view/revoke.jinja",
        {
            "page_title": "Stop this link working?",
            "patient": patient,
            "site_label": site.label.lower(),
            "link": link,
        },
    )


# The patient's pages -----------------------------------------------------------------------


@VIEW.pages
@require_GET
def photos(request, link):
    shown = list(services.visible_photos(link.patient, link.body_site_code))
    services.record_photos_viewed(link, photos=len(shown))
    site = body_sites.get(link.body_site_code)
    site_label = site.label.lower() if site else "body"
    return VIEW.render(
        request,
        "records/patient_view/photos.jinja",
        {
            "page_title": f"Your photos of your {site_label}",
            "practice": link.practice,
            "site_label": site_label,
            "photos": [
                {
                    "photo": photo,
                    "sent": timezone.localtime(photo.created_at),
                    "number": number,
                    "size_kb": max(1, round(photo.size / 1024)),
                    "format": "PNG" if photo.content_type == "image/png" else "JPEG",
                }
                for number, photo in enumerate(shown, start=1)
            ],
            "expires": link_expiry(link.expires_at),
            "minutes": settings.PATIENT_SESSION_MINUTES,
        },
    )


def _image_response(request, link, photo_id, *, download: bool):
    photo = services.photo_for_link(link, photo_id)
    if photo is None:
        return HttpResponseNotFound("Not found", content_type="text/plain")
    try:
        data = storage.read_photo(photo)
    except (storage.PhotoIntegrityError, crypto.Unreadable):
        # read_photo has logged an alert; the patient gets no bytes that failed a check.
        return HttpResponseNotFound("Not found", content_type="text/plain")
    response = HttpResponse(data, content_type=photo.content_type)
    extension = "png" if photo.content_type == "image/png" else "jpg"
    day = timezone.localtime(photo.created_at).date().isoformat()
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="photo-{day}.{extension}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@VIEW.pages
@require_GET
def image(request, link, photo_id):
    return _image_response(request, link, photo_id, download=False)


@VIEW.pages
@require_GET
def download(request, link, photo_id):
    return _image_response(request, link, photo_id, download=True)
