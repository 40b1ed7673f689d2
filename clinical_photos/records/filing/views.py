"""Filing a submission without seeing it: the screen describes the photos in words only.

No page here links to, embeds or previews a photo's bytes; tests/browser/test_filing_journey.py
checks the rendered page for any image of a photo.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from clinical_photos.accounts.permissions import Permission, permission_required
from clinical_photos.patient_upload.models import PatientResponse

from . import presenters
from . import services as filing_services
from .forms import AnotherPatientForm


def _submission_or_404(request, response_id) -> PatientResponse:
    response = filing_services.practice_submission(request.user.practice, response_id)
    if response is None:
        raise Http404("No submission with this id at this practice.")
    return response


def _filed_message(filing, count: int) -> str:
    photos = "1 photo" if count == 1 else f"{count} photos"
    return f"{photos} filed into {filing.patient.full_name}'s record"


def _inbox_unfiled() -> str:
    return reverse("inbox:list") + "?show=unfiled"


@permission_required(Permission.FILE_SUBMISSIONS, scope=_submission_or_404)
@require_http_methods(["GET", "POST"])
def submission(request, response_id):
    response = _submission_or_404(request, response_id)
    if request.method == "POST":
        try:
            filing = filing_services.file_submission(by=request.user, response=response)
        except filing_services.FilingRefused as refused:
            messages.info(request, refused.message)
            return redirect("filing:submission", response_id=response.id)
        count = response.photos.count()
        messages.success(request, _filed_message(filing, count))
        return redirect(_inbox_unfiled())
    filing_services.record_filing_viewed(by=request.user, response=response)
    photos = list(filing_services.submission_photos(response))
    summary = presenters.submission(response, photos, response.text)
    patient = response.photo_request.patient
    return render(
        request,
        "records/filing/submission.jinja",
        {
            "page_title": (
                f"File photos from {patient.full_name}"
                if response.kind == PatientResponse.Kind.PHOTOS
                else f"{patient.full_name} chose not to send photos"
            ),
            "submission": summary,
            "patient": patient,
            "filing": filing_services.existing_filing(response),
            "declined": response.kind != PatientResponse.Kind.PHOTOS,
        },
    )


@permission_required(Permission.FILE_INTO_ANOTHER_RECORD, scope=_submission_or_404)
@require_http_methods(["GET", "POST"])
def another_patient(request, response_id):
    response = _submission_or_404(request, response_id)
    if response.kind != PatientResponse.Kind.PHOTOS or filing_services.existing_filing(response):
        # The main screen says why (declined, or who filed it and when).
        return redirect("filing:submission", response_id=response.id)
    requested_patient = response.photo_request.patient
    form = AnotherPatientForm(
        request.POST if request.method == "POST" else None,
        practice=request.user.practice,
        requested_patient=requested_patient,
    )
    photo_count = response.photos.count()
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirmed"]:
            try:
                filing = filing_services.file_to_another_patient(
                    by=request.user,
                    response=response,
                    patient=form.patient,
                    reason=form.cleaned_data["reason"],
                )
            except filing_services.FilingRefused as refused:
                messages.info(request, refused.message)
                return redirect("filing:submission", response_id=response.id)
            messages.success(request, _filed_message(filing, photo_count))
            return redirect(_inbox_unfiled())
        return render(
            request,
            "records/filing/confirm_another_patient.jinja",
            {
                "page_title": f"File the photos into {form.patient.full_name}'s record?",
                "response": response,
                "requested_patient": requested_patient,
                "other_patient": form.patient,
                "nhs_number": form.cleaned_data["nhs_number"],
                "reason": form.cleaned_data["reason"],
                "photo_count": photo_count,
            },
        )
    return render(
        request,
        "records/filing/another_patient.jinja",
        {
            "page_title": "File the photos into another patient's record",
            "response": response,
            "requested_patient": requested_patient,
            "photo_count": photo_count,
            "form": form,
        },
    )
