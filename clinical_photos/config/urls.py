from django.urls import include, path

urlpatterns = [
    path("", include("clinical_photos.core.urls")),
    path("account/", include("clinical_photos.accounts.urls")),
    path("practice/", include("clinical_photos.accounts.practice_urls")),
    path("patients/", include("clinical_photos.patients.urls")),
    path("requests/", include("clinical_photos.photo_requests.urls")),
    path("messages/", include("clinical_photos.messaging.urls")),
    path("inbox/", include("clinical_photos.records.inbox_urls")),
    path("filing/", include("clinical_photos.records.filing_urls")),
    path("mailbox/", include("clinical_photos.messaging.mailbox_urls")),
    # Patients' pages. Links in texts are /p/<token>; the path must stay as short as it is.
    path("p/", include("clinical_photos.patient_upload.urls")),
    path("record/", include("clinical_photos.records.timeline_urls")),
    path("export/", include("clinical_photos.records.export_urls")),
    # Patients' own view of their photos. Links in texts are /v/<token>.
    path("v/", include("clinical_photos.records.patient_view_urls")),
]

handler400 = "clinical_photos.core.views.bad_request"
handler403 = "clinical_photos.core.views.forbidden"
handler404 = "clinical_photos.core.views.not_found"
handler500 = "clinical_photos.core.views.server_error"
