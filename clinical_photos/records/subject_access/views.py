"""The practice manager's subject access export: a confirm page whose post downloads the zip.

The patient is looked up in the manager's own practice before the role is checked, so anyone
from another practice gets the same 404 whatever their role.
"""

from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clinical_photos.accounts.permissions import Permission, permission_required
from clinical_photos.patients.lookups import practice_patient

from . import services as export_services


@never_cache
@permission_required(Permission.EXPORT_RECORD, scope=practice_patient)
@require_http_methods(["GET", "POST"])
def export_patient(request, patient_id):
    patient = practice_patient(request, patient_id)
    if request.method == "POST":
        output, _ = export_services.export_for_download(patient, by=request.user)
        response = FileResponse(
            output,
            as_attachment=True,
            filename=export_services.download_name(patient),
            content_type="application/zip",
        )
        # Personal data: never kept by a browser or a proxy, never run as a page.
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
    return render(
        request,
        "records/subject_access/export_patient.jinja",
        {
            "page_title": f"Export {patient.full_name}'s photos",
            "patient": patient,
            "overview": export_services.export_overview(patient),
        },
    )
