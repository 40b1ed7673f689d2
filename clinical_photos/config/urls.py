from django.urls import include, path

from clinical_photos.photo_requests.views import home

urlpatterns = [
    # Staff start here: find a patient, and see the practice's latest requests.
    path("", home, name="home"),
    path("", include("clinical_photos.core.urls")),
    path("account/", include("clinical_photos.accounts.urls")),
    path("practice/", include("clinical_photos.accounts.practice.urls")),
    path("practice/templates/", include("clinical_photos.photo_requests.request_templates.urls")),
    path("patients/", include("clinical_photos.patients.urls")),
    path("requests/", include("clinical_photos.photo_requests.urls")),
    path("follow-ups/", include("clinical_photos.photo_requests.follow_ups.urls")),
    path("review/", include("clinical_photos.records.review.urls")),
    path("messages/", include("clinical_photos.messaging.urls")),
    path("inbox/", include("clinical_photos.records.inbox.urls")),
    path("filing/", include("clinical_photos.records.filing.urls")),
    path("mailbox/", include("clinical_photos.messaging.mailbox_urls")),
    # Patients' pages. Links in texts are /p/<token>; the path must stay as short as it is.
    path("p/", include("clinical_photos.patient_upload.urls")),
    path("record/", include("clinical_photos.records.timeline.urls")),
    path("export/", include("clinical_photos.records.subject_access.urls")),
    # Patients' own view of their photos. Links in texts are /v/<token>.
    path("v/", include("clinical_photos.records.patient_view.urls")),
]

handler400 = "clinical_photos.core.views.bad_request"
handler403 = "clinical_photos.core.views.forbidden"
handler404 = "clinical_photos.core.views.not_found"
handler500 = "clinical_photos.core.views.server_error"
