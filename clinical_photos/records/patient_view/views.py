"""The patient's own view of their photos of one body site, and the clinician's page to send it.

The patient's pages work with JavaScript off and need no staff login. Opening the link asks
for the date of birth (the same rules as sending photos); the right one swaps the token for a
short session of the view's own and leaves the token's address. Every page and every image
checks the link again.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from clinical_photos.accounts.permissions import Permission, permission_required
from clinical_photos.core import date_of_birth
from clinical_photos.core.jinja_helpers import choice_items, error_summary_items
from clinical_photos.messaging.text import link_expiry
from clinical_photos.patient_upload.forms import DateOfBirthForm
from clinical_photos.photo_requests import body_sites
from clinical_photos.photos import crypto, storage

from . import services
from .forms import SendViewLinkForm

LinkState = services.LinkState

# What each kind of dead link says: a title and why, never naming the patient.
LINK_STATES = {
    LinkState.UNKNOWN: (
        "This link does not work",
        "Check you copied the whole link from your text message. If it still does not work, "
        "contact your GP surgery.",
    ),
    LinkState.EXPIRED: (
        "This link has expired",
        "Links to see your photos only work for a few days. If you still want to see them, "
        "contact your GP surgery and ask for a new link.",
    ),
    LinkState.LOCKED: (
        "This link has been locked",
        "The date of birth was entered wrongly too many times, so the link no longer works. "
        "This keeps your information safe. Contact your GP surgery to get a new link.",
    ),
    LinkState.REVOKED: (
        "This link no longer works",
        "Your GP surgery has stopped this link. If you still want to see your photos, "
        "contact them and ask for a new link.",
    ),
}


# The clinician sends the link --------------------------------------------------------------


def _site_hint(choice: services.SiteChoice) -> str:
    count = f"{choice.photos} photo" + ("" if choice.photos == 1 else "s")
    first, last = (f"{d.day} {d:%B %Y}" for d in (choice.first, choice.last))
    return f"{count}, {first}" if first == last else f"{count}, {first} to {last}"


def _practice_patient(request, patient_id):
    return get_object_or_404(request.user.practice.patients, id=patient_id)


@permission_required(Permission.SEND_PATIENT_VIEW_LINK, scope=_practice_patient)
@require_http_methods(["GET", "POST"])
def send_link(request, patient_id):
    patient = _practice_patient(request, patient_id)
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
            "error_summary": error_summary_items(form),
            "lifetime_days": patient.practice.link_lifetime_days,
        },
    )


# The patient's pages -----------------------------------------------------------------------


def patient_page(view):
    """A patient's page: no staff login, and never cached."""

    @login_not_required
    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapped


def with_view_link(view):
    """Pages after the date of birth: need the view's session and a link still open."""

    @patient_page
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        link = services.link_by_id(services.session_link_id(request))
        if link is None:
            response = render(
                request,
                "records/patient_view/session_ended.jinja",
                {
                    "page_title": "Your session has ended"
                    if services.had_session(request)
                    else "Open the link in your text",
                    "timed_out": services.had_session(request),
                    "minutes": settings.PATIENT_SESSION_MINUTES,
                },
                status=403,
            )
            services.end_session(response)
            return response
        state = services.link_state(link)
        if state != LinkState.OPEN:
            response = _render_link_state(request, state, link)
            services.end_session(response)
            return response
        response = view(request, link, *args, **kwargs)
        services.start_session(response, link)  # 30 more minutes from this step
        return response

    return wrapped


def _render_link_state(request, state: LinkState, link, status=200):
    title, body = LINK_STATES[state]
    return render(
        request,
        "records/patient_view/link_state.jinja",
        {
            "page_title": title,
            "body": body,
            "practice": link.practice if link is not None else None,
            "state": state.value,
        },
        status=status,
    )


def _date_of_birth_page(request, link, form, status=200):
    return render(
        request,
        "records/patient_view/date_of_birth.jinja",
        {
            "page_title": "What is your date of birth?",
            "form": form,
            "error_summary": error_summary_items(form),
            "practice": link.practice if link is not None else None,
        },
        status=status,
    )


@patient_page
@require_http_methods(["GET", "POST"])
def open_link(request, token):
    link = services.find_link(token)
    state = services.link_state(link)
    if request.method == "GET":
        if state != LinkState.OPEN:
            return _render_link_state(request, state, link, status=404 if link is None else 200)
        return _date_of_birth_page(request, link, DateOfBirthForm())

    if date_of_birth.too_many_tries(request):
        return render(
            request,
            "records/patient_view/too_many_tries.jinja",
            {"page_title": "Too many tries"},
            status=429,
        )
    if link is not None and state != LinkState.OPEN:
        return _render_link_state(request, state, link)
    form = DateOfBirthForm(request.POST)
    result = date_of_birth.answer(form, link, services.check_date_of_birth)
    if result.locked:
        return _render_link_state(request, LinkState.LOCKED, link)
    if not result.verified:
        return _date_of_birth_page(request, link, form)
    # Swap the token for a session and leave the token's address, so it stays out of the
    # browser's history of later pages and out of any Referer.
    response = redirect("patient_view:photos")
    services.start_session(response, link)
    return response


@with_view_link
@require_GET
def photos(request, link):
    shown = list(services.visible_photos(link.patient, link.body_site_code))
    services.record_photos_viewed(link, photos=len(shown))
    site = body_sites.get(link.body_site_code)
    site_label = site.label.lower() if site else "body"
    return render(
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


@with_view_link
@require_GET
def image(request, link, photo_id):
    return _image_response(request, link, photo_id, download=False)


@with_view_link
@require_GET
def download(request, link, photo_id):
    return _image_response(request, link, photo_id, download=True)
