"""Filing a submission without seeing it: the screen describes the photos in words only.

No page here links to, embeds or previews a photo's bytes; tests/browser/test_filing_journey.py
checks the rendered page for any image of a photo.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from nhs_number import is_valid, standardise_format

from clinical_photos.core.forms import hidden_characters
from clinical_photos.core.jinja_helpers import error_summary_items
from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.patient_upload.services import response_text
from clinical_photos.patients.forms import NHS_NUMBER_FORMAT

from . import filing_services, presenters


class AnotherPatientForm(forms.Form):
    nhs_number = forms.CharField(
        label="NHS number of the patient the photos are of",
        max_length=14,
        help_text="10 digits, like 485 777 3456. The patient must be registered at your practice.",
        error_messages={
            "required": "Enter the NHS number of the patient the photos are of",
            "max_length": NHS_NUMBER_FORMAT,
            "null_characters_not_allowed": NHS_NUMBER_FORMAT,
        },
    )
    reason = forms.CharField(
        label="Why do the photos belong to this patient?",
        max_length=filing_services.REASON_MAX_LENGTH,
        widget=forms.Textarea,
        help_text="For example, the request went to the wrong patient. This is kept with the "
        "record of who filed the photos.",
        error_messages={
            "required": "Enter why the photos belong to this patient",
            "max_length": (
                f"Reason must be {filing_services.REASON_MAX_LENGTH} characters or fewer"
            ),
            "null_characters_not_allowed": hidden_characters("Reason"),
        },
    )
    # Set by the confirmation page: the person has seen whose record it is.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, practice, requested_patient, **kwargs):
        self.practice = practice
        self.requested_patient = requested_patient
        self.patient = None
        super().__init__(*args, **kwargs)

    def clean_nhs_number(self) -> str:
        digits = standardise_format(self.cleaned_data["nhs_number"])
        if not digits:
            raise forms.ValidationError(NHS_NUMBER_FORMAT)
        if not is_valid(digits):
            raise forms.ValidationError(
                "This is not a valid NHS number. Check each digit and try again"
            )
        patient = filing_services.find_other_patient(self.practice, digits)
        if patient is None:
            raise forms.ValidationError(filing_services.UnknownPatient.message)
        if patient.pk == self.requested_patient.pk:
            raise forms.ValidationError(filing_services.SamePatient.message)
        self.patient = patient
        return digits

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why the photos belong to this patient")
        return reason


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


@require_http_methods(["GET", "POST"])
def submission(request, response_id):
    response = _submission_or_404(request, response_id)
    if not filing_services.may_file(request.user):
        raise PermissionDenied
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
    summary = presenters.submission(response, photos, response_text(response))
    patient = response.photo_request.patient
    return render(
        request,
        "records/filing.jinja",
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
            "may_file_elsewhere": filing_services.may_file_to_another_patient(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def another_patient(request, response_id):
    response = _submission_or_404(request, response_id)
    if not filing_services.may_file_to_another_patient(request.user):
        raise PermissionDenied
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
            "records/filing_confirm_another.jinja",
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
        "records/filing_another.jinja",
        {
            "page_title": "File the photos into another patient's record",
            "response": response,
            "requested_patient": requested_patient,
            "photo_count": photo_count,
            "form": form,
            "error_summary": error_summary_items(form),
        },
    )
