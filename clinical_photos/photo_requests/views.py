from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinical_photos.accounts.permissions import Permission, permission_required
from clinical_photos.core.forms import ConfirmForm
from clinical_photos.patients.lookups import practice_patient

from . import body_sites, presenters, services
from .forms import PhotoRequestForm
from .models import PhotoRequest

PAGE_SIZE = 25


def _practice_request(request, request_id) -> PhotoRequest:
    """The practice's request (404 for another practice's)."""
    return get_object_or_404(
        request.user.practice.photo_requests.select_related("patient", "template", "requested_by"),
        id=request_id,
    )


@permission_required(Permission.SEE_REQUESTS)
@require_GET
def home(request):
    """Staff start here: find a patient, and see the practice's latest requests."""
    recent = (
        request.user.practice.photo_requests.select_related("patient", "template")
        .prefetch_related("text_messages", "links")
        .newest_first()[:10]
    )
    return render(
        request,
        "photo_requests/home.jinja",
        {
            "page_title": request.user.practice.name,
            "recent_requests": recent,
            "statuses": PhotoRequest.Status,
        },
    )


@permission_required(Permission.SEE_REQUESTS)
@require_GET
def request_list(request):
    photo_requests = (
        request.user.practice.photo_requests.select_related("patient", "template", "requested_by")
        .prefetch_related("text_messages", "links")
        .newest_first()
    )
    page = Paginator(photo_requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "photo_requests/list.jinja",
        {
            "page_title": "Photo requests",
            "page": page,
            "photo_requests": page.object_list,
            "column_width": "full",
        },
    )


@permission_required(Permission.REQUEST_PHOTOS, scope=practice_patient)
@require_http_methods(["GET", "POST"])
def new(request, patient_id):
    patient = practice_patient(request, patient_id)
    form = PhotoRequestForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        photo_request = services.create_request(
            by=request.user,
            patient=patient,
            template=form.cleaned_data["template"],
            body_site_codes=form.cleaned_data["body_sites"],
            note_to_patient=form.cleaned_data["note_to_patient"],
        )
        messages.success(request, f"A text with a link has been sent to {patient.full_name}")
        return redirect("photo_requests:detail", request_id=photo_request.id)
    return render(
        request,
        "photo_requests/new.jinja",
        {
            "page_title": "Ask for photos",
            "patient": patient,
            "form": form,
            "templates": form.templates,
            "site_groups": _site_groups(form),
        },
    )


def _site_groups(form) -> list[dict]:
    chosen = set(form["body_sites"].value() or [])
    return [
        {
            "name": group,
            "items": [
                {"value": site.code, "text": site.label, "checked": site.code in chosen}
                for site in body_sites.BODY_SITES
                if site.group == group
            ],
        }
        for group in body_sites.GROUPS
    ]


@permission_required(Permission.SEE_REQUESTS)
@require_GET
def detail(request, request_id):
    photo_request = _practice_request(request, request_id)
    services.record_request_viewed(by=request.user, photo_request=photo_request)
    link = photo_request.current_link
    texts = photo_request.text_messages.order_by("-created_at")
    answer = getattr(photo_request, "response", None)
    return render(
        request,
        "photo_requests/detail.jinja",
        {
            "page_title": f"Photo request for {photo_request.patient.full_name}",
            "photo_request": photo_request,
            "link": link,
            "texts": texts,
            "status": presenters.status_tag(photo_request, link),
            "answer": answer,
            "answer_text": answer.text if answer else "",
            # Filed photos' clinical review (records.review), read through the relations.
            "review": getattr(getattr(answer, "filing", None), "review", None),
            "photo_count": answer.photos.count() if answer else 0,
        },
    )


@permission_required(Permission.REQUEST_PHOTOS, scope=_practice_request)
@require_http_methods(["GET", "POST"])
def cancel(request, request_id):
    photo_request = _practice_request(request, request_id)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            services.cancel_request(by=request.user, photo_request=photo_request)
        except services.RequestNotOpen:
            messages.info(request, "This request was not cancelled: it had already ended")
        else:
            messages.success(request, "The request has been cancelled. Its link no longer works")
        return redirect("photo_requests:detail", request_id=photo_request.id)
    if not photo_request.is_open:
        messages.info(request, "This request has already ended, so it cannot be cancelled")
        return redirect("photo_requests:detail", request_id=photo_request.id)
    return render(
        request,
        "photo_requests/cancel.jinja",
        {"page_title": "Cancel this request?", "photo_request": photo_request},
    )


@permission_required(Permission.REQUEST_PHOTOS, scope=_practice_request)
@require_http_methods(["GET", "POST"])
def resend(request, request_id):
    photo_request = _practice_request(request, request_id)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            resent = services.resend_request(by=request.user, photo_request=photo_request)
        except services.RequestNotOpen:
            messages.info(request, "The text was not sent again: this request has already ended")
        else:
            messages.success(request, presenters.resent_words(resent.photos_carried_over))
        return redirect("photo_requests:detail", request_id=photo_request.id)
    if not photo_request.is_open:
        messages.info(request, "This request has already ended, so the text cannot be sent again")
        return redirect("photo_requests:detail", request_id=photo_request.id)
    unsent = services.unsent_photo_count(photo_request)
    return render(
        request,
        "photo_requests/resend.jinja",
        {
            "page_title": "Send the text again?",
            "photo_request": photo_request,
            "unsent_photos_words": presenters.photos_words(unsent) if unsent else "",
        },
    )
