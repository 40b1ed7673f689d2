"""The record's pages: a patient's photos over time, one photo, comparing two, correcting and
removing. Mounted at /record/.

Every query starts from the user's practice, so another practice's photo is a 404. Only
clinicians get a photo's bytes; anyone else asking for them is refused, and that is audited.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinical_photos.core.forms import hidden_characters
from clinical_photos.core.jinja_helpers import error_summary_items
from clinical_photos.photo_requests import body_sites
from clinical_photos.photos import crypto

from . import timeline_presenters as presenters
from . import timeline_services as services

# An image is shown by the page that holds it and by nothing else: no script runs in it, no
# cache keeps it, and no browser guesses it is anything but the image it says it is.
IMAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class PhotoDetailsForm(forms.Form):
    body_site = forms.ChoiceField(
        label="Where on the body",
        choices=[("", "Choose a body site")]
        + [(site.code, site.label) for site in body_sites.BODY_SITES],
        error_messages={
            "required": "Choose where on the body the photo shows",
            "invalid_choice": "Choose a body site from the list",
        },
    )
    condition = forms.CharField(
        label="Condition (optional)",
        help_text="For example, eczema or a mole on the left forearm. Photos with the same "
        "condition are shown together.",
        required=False,
        max_length=services.CONDITION_MAX_LENGTH,
        error_messages={
            "max_length": f"The condition must be {services.CONDITION_MAX_LENGTH} characters "
            "or fewer",
            "null_characters_not_allowed": hidden_characters("The condition"),
        },
    )


class RemovalForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why must this photo be removed?",
        choices=services.RemovalReason.CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why the photo must be removed",
            "invalid_choice": "Choose why the photo must be removed",
        },
    )
    detail = forms.CharField(
        label="Say more (needed if you chose another reason)",
        help_text="Do not name the patient. The Caldicott Guardian reads this.",
        required=False,
        max_length=services.REMOVAL_DETAIL_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "max_length": f"The reason must be {services.REMOVAL_DETAIL_MAX_LENGTH} characters "
            "or fewer",
            "null_characters_not_allowed": hidden_characters("The reason"),
        },
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("reason") == services.RemovalReason.OTHER
            and not cleaned.get("detail", "").strip()
        ):
            self.add_error("detail", "Say why the photo must be removed")
        return cleaned


def _filed_photos(request):
    """The practice's photos that are in a patient's record (removed ones as tombstones)."""
    return request.user.practice.photos.filter(patient__isnull=False).select_related(
        "patient",
        "response__photo_request__template",
        "removed_by",
        "entered_in_error_by",
    )


def _photo(request, photo_id, *, removed_too=False):
    photos = _filed_photos(request)
    if not removed_too:
        photos = photos.filter(removed_at__isnull=True)
    return get_object_or_404(photos, id=photo_id)


def _clinicians_only(request) -> None:
    if not request.user.is_clinician:
        raise PermissionDenied


def _error_page(request, status: int, title: str, body: str) -> HttpResponse:
    response = render(
        request, "core/error.jinja", {"page_title": title, "body": body}, status=status
    )
    response["Cache-Control"] = "no-store"
    return response


def _image(request, photo_id, *, preview: bool) -> HttpResponse:
    photo = _photo(request, photo_id)
    if not request.user.is_clinician:
        services.refuse_photo(by=request.user, photo=photo)
        return _error_page(
            request,
            403,
            "Only clinicians can see photos",
            "Your role does not allow you to see patients' photos. This request has been recorded.",
        )
    try:
        image = services.open_photo(by=request.user, photo=photo, preview=preview)
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


@require_GET
def photo_image(request, photo_id):
    return _image(request, photo_id, preview=False)


@require_GET
def photo_preview(request, photo_id):
    return _image(request, photo_id, preview=True)


@require_GET
def timeline(request, patient_id):
    patient = get_object_or_404(request.user.practice.patients, id=patient_id)
    photos = list(_filed_photos(request).filter(patient=patient))
    services.record_timeline_viewed(by=request.user, patient=patient, photos=len(photos))
    return render(
        request,
        "records/timeline.jinja",
        {
            "page_title": f"Photos of {patient.full_name}",
            "patient": patient,
            "groups": presenters.site_groups(photos),
            "presenters": presenters,
            "column_width": "full",
        },
    )


@require_GET
def photo(request, photo_id):
    """One photo in the record, or the tombstone a removed photo leaves."""
    photo = _photo(request, photo_id, removed_too=True)
    return render(
        request,
        "records/photo.jinja",
        {
            "page_title": "Photo removed from the record"
            if photo.removed_at
            else presenters.alt_text(photo),
            "photo": photo,
            "patient": photo.patient,
            "presenters": presenters,
        },
    )


def _compare_choices(photos) -> list[tuple[str, str]]:
    return [
        (
            str(p.id),
            f"{presenters.site_label(p.body_site_code)}, {presenters.label_words(p).lower()}, "
            f"{presenters.date_long(presenters.taken_at(p))}"
            + (" (entered in error)" if p.entered_in_error_at else ""),
        )
        for p in photos
    ]


@require_GET
def compare(request, patient_id):
    patient = get_object_or_404(request.user.practice.patients, id=patient_id)
    _clinicians_only(request)
    photos = sorted(
        _filed_photos(request).filter(patient=patient, removed_at__isnull=True),
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
    if first and second:
        # Always oldest on the left, so "earlier" and "later" mean what they say.
        if presenters.taken_at(second) < presenters.taken_at(first):
            first, second = second, first
        services.record_photos_compared(by=request.user, first=first, second=second)
    choices = _compare_choices(photos)
    return render(
        request,
        "records/compare.jinja",
        {
            "page_title": "Compare photos",
            "patient": patient,
            "first": first,
            "second": second,
            "same_way": bool(first and second and first.label == second.label),
            "choices": choices,
            "chosen_a": chosen_a,
            "chosen_b": chosen_b,
            "problem": problem,
            "error_summary": [{"text": problem, "href": "#compare-a"}] if problem else None,
            "presenters": presenters,
            "column_width": "full",
        },
    )


@require_http_methods(["GET", "POST"])
def change_details(request, photo_id):
    photo = _photo(request, photo_id)
    _clinicians_only(request)
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
        "records/photo_details.jinja",
        {
            "page_title": "Change the photo's details",
            "photo": photo,
            "patient": photo.patient,
            "form": form,
            "error_summary": error_summary_items(form),
            "presenters": presenters,
        },
    )


@require_http_methods(["GET", "POST"])
def entered_in_error(request, photo_id):
    photo = _photo(request, photo_id)
    _clinicians_only(request)
    if request.method == "POST":
        try:
            services.mark_entered_in_error(by=request.user, photo=photo)
        except services.PhotoGone:
            raise Http404 from None
        messages.success(request, "The photo has been marked as entered in error")
        return redirect("record:timeline", patient_id=photo.patient_id)
    return render(
        request,
        "records/photo_entered_in_error.jinja",
        {
            "page_title": "Mark this photo as entered in error?",
            "photo": photo,
            "patient": photo.patient,
            "presenters": presenters,
        },
    )


@require_http_methods(["GET", "POST"])
def remove(request, photo_id):
    photo = _photo(request, photo_id)
    _clinicians_only(request)
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
        "records/remove.jinja",
        {
            "page_title": "Remove this photo from the record",
            "photo": photo,
            "patient": photo.patient,
            "form": form,
            "error_summary": error_summary_items(form),
            "presenters": presenters,
        },
    )
