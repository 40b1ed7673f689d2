"""The record's pages: a patient's photos over time, one photo, comparing two, correcting and
removing. Mounted at /record/.

Every query starts from the user's practice, so another practice's photo is a 404. Only
clinicians get a photo's bytes; anyone else asking for them is refused, and that is audited.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from clinical_photos.accounts.permissions import Permission, permission_required
from clinical_photos.patients.lookups import practice_patient
from clinical_photos.photos import crypto, turn

from . import presenters, services
from .forms import PhotoDetailsForm, RemovalForm

# An image is shown by the page that holds it and by nothing else: no script runs in it, no
# cache keeps it, and no browser guesses it is anything but the image it says it is.
IMAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _filed_photos(request):
    """The practice's photos that are in a patient's record (removed ones as tombstones)."""
    return request.user.practice.photos.filter(patient__isnull=False).select_related(
        "patient",
        "response__photo_request__template",
        "response__photo_request__follow_up__series",
        "response__filing__review__reviewed_by",
        "removed_by",
        "entered_in_error_by",
    )


def _photo(request, photo_id, *, removed_too=False):
    photos = _filed_photos(request)
    if not removed_too:
        photos = photos.filter(removed_at__isnull=True)
    return get_object_or_404(photos, id=photo_id)


def _error_page(request, status: int, title: str, body: str) -> HttpResponse:
    response = render(
        request, "core/error.jinja", {"page_title": title, "body": body}, status=status
    )
    response["Cache-Control"] = "no-store"
    return response


def _image(request, photo_id, *, preview: bool, degrees: int = 0) -> HttpResponse:
    photo = _photo(request, photo_id)
    try:
        image = services.open_photo(by=request.user, photo=photo, preview=preview, degrees=degrees)
    except services.PhotoGone:
        raise Http404 from None
    except crypto.Unreadable:
        # read_photo has already raised the alert; the wrong bytes are never sent.
        return _error_page(
            request,
            503,
            "This photo cannot be shown",
            "This photo could not be checked and is not shown. The service team has been alerted.",
        )
    response = HttpResponse(image.data, content_type=image.content_type)
    for header, value in IMAGE_HEADERS.items():
        response[header] = value
    return response


# Anyone else who asks for an image gets nothing, and their asking is recorded.
SEE_PHOTOS = permission_required(
    Permission.SEE_PHOTOS, scope=_photo, when_refused=services.refuse_photo
)


@SEE_PHOTOS
@require_GET
def photo_image(request, photo_id):
    # ?rotate=90 (180, 270): turned clockwise to look at, as the compare page asks for it.
    return _image(
        request, photo_id, preview=False, degrees=turn.quarter_turn(request.GET.get("rotate"))
    )


@SEE_PHOTOS
@require_GET
def photo_preview(request, photo_id):
    return _image(request, photo_id, preview=True)


@permission_required(Permission.SEE_RECORD)
@require_GET
def timeline(request, patient_id):
    patient = practice_patient(request, patient_id)
    photos = list(_filed_photos(request).filter(patient=patient))
    services.record_timeline_viewed(by=request.user, patient=patient, photos=len(photos))
    return render(
        request,
        "records/timeline/timeline.jinja",
        {
            "page_title": f"Photos of {patient.full_name}",
            "patient": patient,
            # ?order=newest shows each group's latest answer first; anything else, the oldest.
            "newest_first": request.GET.get("order") == "newest",
            "groups": presenters.site_groups(photos),
            "presenters": presenters,
            "column_width": "full",
        },
    )


@permission_required(Permission.SEE_RECORD)
@require_GET
def photo(request, photo_id):
    """One photo in the record, or the tombstone a removed photo leaves."""
    photo = _photo(request, photo_id, removed_too=True)
    return render(
        request,
        "records/timeline/photo.jinja",
        {
            "page_title": "Photo removed from the record"
            if photo.removed_at
            else presenters.alt_text(photo),
            # ?size=full shows the photo at its own size, to zoom in without JavaScript.
            "full_size": request.GET.get("size") == "full",
            "photo": photo,
            "patient": photo.patient,
            "presenters": presenters,
        },
    )


def _compare_choices(photos, numbers) -> list[dict]:
    return [
        {
            "value": str(p.id),
            "text": presenters.choice_words(p, numbers.get(p.id)),
            "preview": p,
        }
        for p in photos
    ]


# The compare page's query names for turning each photo, by where it is shown.
TURN_PARAMETERS = {"earlier": "rotate_earlier", "later": "rotate_later"}


def _compare_query(chosen_a: str, chosen_b: str, turns: dict[str, int]) -> str:
    query = {"a": chosen_a, "b": chosen_b}
    query.update({TURN_PARAMETERS[which]: d for which, d in turns.items() if d})
    return f"?{urlencode(query)}"


def _shown(photo, which: str, turns: dict, chosen_a: str, chosen_b: str) -> dict:
    """One of the pair as the page shows it: turned as asked, with the links that turn it."""
    degrees = turns[which]
    src = reverse("record:photo_image", args=[photo.id])
    width, height = photo.width, photo.height
    if degrees:
        src += f"?rotate={degrees}"
        if turn.swaps_sides(degrees):
            width, height = height, width
    return {
        "photo": photo,
        "which": which,
        "src": src,
        "width": width,
        "height": height,
        "degrees": degrees,
        "turn_words": presenters.turn_words(degrees),
        "turn_hrefs": {
            step: _compare_query(chosen_a, chosen_b, {**turns, which: (degrees + step) % 360})
            for step in (-90, 90)
        },
    }


@permission_required(Permission.SEE_PHOTOS, scope=practice_patient)
@require_GET
def compare(request, patient_id):
    patient = practice_patient(request, patient_id)
    filed = list(_filed_photos(request).filter(patient=patient))
    photos = sorted(
        (p for p in filed if p.removed_at is None),
        key=lambda p: (presenters.taken_at(p), p.position),
    )
    by_id = {str(p.id): p for p in photos}
    chosen_a, chosen_b = request.GET.get("a", ""), request.GET.get("b", "")
    first = second = None
    problem = None
    if not chosen_a and not chosen_b:
        pair = next(
            (g.compare_pair() for g in presenters.site_groups(photos) if g.compare_pair()), None
        )
        if pair:
            first, second = pair
            chosen_a, chosen_b = str(first.id), str(second.id)
    else:
        first, second = by_id.get(chosen_a), by_id.get(chosen_b)
        if first is None or second is None:
            problem = "Choose two photos of this patient from the lists"
        elif first.id == second.id:
            problem = "Choose two different photos"
        elif first.body_site_code != second.body_site_code:
            problem = (
                "These photos are of different parts of the body. Choose two photos of the "
                "same body site"
            )
        if problem:
            first = second = None
    shown = []
    if first and second:
        # Always oldest on the left, so "earlier" and "later" mean what they say.
        if presenters.taken_at(second) < presenters.taken_at(first):
            first, second = second, first
        services.record_photos_compared(by=request.user, first=first, second=second)
        # Turned only to look at, in the page's address (so a link or a reload keeps it).
        turns = {
            which: turn.quarter_turn(request.GET.get(name))
            for which, name in TURN_PARAMETERS.items()
        }
        shown = [
            _shown(first, "earlier", turns, chosen_a, chosen_b),
            _shown(second, "later", turns, chosen_a, chosen_b),
        ]
    return render(
        request,
        "records/timeline/compare.jinja",
        {
            "page_title": "Compare photos",
            "patient": patient,
            "first": first,
            "second": second,
            "shown": shown,
            "same_way": bool(first and second and first.label == second.label),
            "choices": _compare_choices(photos, presenters.photo_numbers(filed)),
            "chosen_a": chosen_a,
            "chosen_b": chosen_b,
            "problem": problem,
            "error_summary": [{"text": problem, "href": "#compare-a"}] if problem else None,
            "presenters": presenters,
            "column_width": "full",
        },
    )


@permission_required(Permission.CORRECT_RECORD, scope=_photo)
@require_http_methods(["GET", "POST"])
def change_details(request, photo_id):
    photo = _photo(request, photo_id)
    initial = {"body_site": photo.body_site_code, "condition": photo.condition}
    form = PhotoDetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_photo_details(
                by=request.user,
                photo=photo,
                body_site_code=form.cleaned_data["body_site"],
                condition=form.cleaned_data["condition"],
            )
        except services.PhotoGone:
            raise Http404 from None
        messages.success(request, "The photo's details have been changed")
        return redirect("record:timeline", patient_id=photo.patient_id)
    return render(
        request,
        "records/timeline/photo_details.jinja",
        {
            "page_title": "Change the photo's details",
            "photo": photo,
            "patient": photo.patient,
            "form": form,
            "presenters": presenters,
        },
    )


@permission_required(Permission.CORRECT_RECORD, scope=_photo)
@require_http_methods(["GET", "POST"])
def entered_in_error(request, photo_id):
    photo = _photo(request, photo_id)
    if request.method == "POST":
        try:
            services.mark_entered_in_error(by=request.user, photo=photo)
        except services.PhotoGone:
            raise Http404 from None
        messages.success(request, "The photo has been marked as entered in error")
        return redirect("record:timeline", patient_id=photo.patient_id)
    return render(
        request,
        "records/timeline/entered_in_error.jinja",
        {
            "page_title": "Mark this photo as entered in error?",
            "photo": photo,
            "patient": photo.patient,
            "presenters": presenters,
        },
    )


@permission_required(Permission.CORRECT_RECORD, scope=_photo)
@require_http_methods(["GET", "POST"])
def remove(request, photo_id):
    photo = _photo(request, photo_id)
    form = RemovalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_from_record(
                by=request.user,
                photo=photo,
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
            )
        except services.PhotoGone:
            raise Http404 from None
        messages.success(
            request,
            "The photo has been removed from the record and can never be seen again. "
            "The Caldicott Guardian has been told",
        )
        return redirect("record:timeline", patient_id=photo.patient_id)
    return render(
        request,
        "records/timeline/remove.jinja",
        {
            "page_title": "Remove this photo from the record",
            "photo": photo,
            "patient": photo.patient,
            "form": form,
            "presenters": presenters,
        },
    )
