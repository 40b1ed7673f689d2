"""Follow-up series: starting one from a request, seeing how it stands, stopping it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinical_photos.accounts.permissions import Permission, permission_required
from clinical_photos.core.forms import ConfirmForm

from ..models import FollowUpSeries, PhotoRequest
from . import services
from .forms import FollowUpForm


def _practice_request(request, request_id) -> PhotoRequest:
    return get_object_or_404(
        request.user.practice.photo_requests.select_related("patient", "template"), id=request_id
    )


def _practice_series(request, series_id) -> FollowUpSeries:
    return get_object_or_404(
        request.user.practice.follow_up_series.select_related(
            "patient", "started_by", "stopped_by", "follows__template"
        ),
        id=series_id,
    )


@permission_required(Permission.ASK_FOR_FOLLOW_UPS, scope=_practice_request)
@require_http_methods(["GET", "POST"])
def new(request, request_id):
    follows = _practice_request(request, request_id)
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        series = services.start_series(
            by=request.user,
            follows=follows,
            every=data["every"],
            unit=data["unit"],
            times=data["times"],
        )
        messages.success(request, services.started_words(series))
        return redirect("follow_ups:detail", series_id=series.id)
    return render(
        request,
        "photo_requests/follow_ups/new.jinja",
        {
            "page_title": "Ask for follow-up photos",
            "follows": follows,
            "form": form,
        },
    )


@permission_required(Permission.SEE_REQUESTS, scope=_practice_series)
@require_GET
def detail(request, series_id):
    series = _practice_series(request, series_id)
    follow_ups = series.follow_ups.select_related("photo_request").order_by("number")
    return render(
        request,
        "photo_requests/follow_ups/detail.jinja",
        {
            "page_title": f"Follow-up photos for {series.patient.full_name}",
            "series": series,
            "rows": [(f, services.state_of(f)) for f in follow_ups],
        },
    )


@permission_required(Permission.REQUEST_PHOTOS, scope=_practice_series)
@require_http_methods(["GET", "POST"])
def stop(request, series_id):
    series = _practice_series(request, series_id)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        if services.stop_series(by=request.user, series=series):
            messages.success(request, "No more follow-up texts will be sent")
        else:
            messages.info(request, "This series had already stopped. Nothing was changed")
        return redirect("follow_ups:detail", series_id=series.id)
    if series.is_stopped:
        messages.info(request, "This series has already stopped")
        return redirect("follow_ups:detail", series_id=series.id)
    return render(
        request,
        "photo_requests/follow_ups/stop.jinja",
        {"page_title": "Stop the follow-up texts?", "series": series},
    )
