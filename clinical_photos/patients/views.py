from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinical_photos.accounts.permissions import Permission, permission_required
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record

from . import services
from .forms import PatientForm, PatientSearchForm
from .lookups import practice_patient

RESULTS_SHOWN = 50


@permission_required(Permission.FIND_PATIENTS)
@require_GET
def search(request):
    form = PatientSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    error = form.errors.get("q", [None])[0]
    patients = None
    if query:
        patients = list(request.user.practice.patients.search(query)[: RESULTS_SHOWN + 1])
        with transaction.atomic():
            # What was searched for may be an NHS number, so only the count is kept.
            record(Action.PATIENT_SEARCHED, user=request.user, detail={"results": len(patients)})
    return render(
        request,
        "patients/search.jinja",
        {
            "page_title": "Find a patient",
            "form": form,
            "query": query,
            "patients": patients[:RESULTS_SHOWN] if patients is not None else None,
            "more_results": patients is not None and len(patients) > RESULTS_SHOWN,
            "error": error,
            "error_summary": [{"text": error, "href": "#q"}] if error else None,
        },
    )


@permission_required(Permission.ADD_PATIENTS)
@require_http_methods(["GET", "POST"])
def add(request):
    form = PatientForm(
        request.POST if request.method == "POST" else None, practice=request.user.practice
    )
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.add_patient(by=request.user, **form.cleaned_data)
        except services.DuplicatePatient:
            form.add_error(
                "nhs_number",
                "A patient with this NHS number is already registered at your practice",
            )
        else:
            messages.success(request, f"{patient.full_name} has been added")
            return redirect("patients:detail", patient_id=patient.id)
    return render(
        request,
        "patients/add.jinja",
        {
            "page_title": "Add a patient",
            "form": form,
            "existing_patient": getattr(form, "existing_patient", None),
        },
    )


@permission_required(Permission.FIND_PATIENTS)
@require_GET
def detail(request, patient_id):
    patient = practice_patient(request, patient_id)
    services.record_patient_viewed(by=request.user, patient=patient)
    photo_requests = (
        patient.photo_requests.select_related("template", "requested_by")
        .prefetch_related("text_messages")
        .newest_first()
    )
    return render(
        request,
        "patients/detail.jinja",
        {
            "page_title": patient.full_name,
            "patient": patient,
            "photo_requests": photo_requests,
            "follow_up_series": patient.follow_up_series.select_related("follows__template"),
        },
    )
