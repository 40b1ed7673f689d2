from django.urls import path

from clinical_photos.patient_links import converters  # noqa: F401 (registers <token:...>)

from . import views

app_name = "patient_view"

urlpatterns = [
    # Staff (clinicians): send the patient a link.
    path("send/<uuid:patient_id>/", views.send_link, name="send"),
    path("links/<uuid:view_link_id>/stop/", views.revoke_link, name="revoke"),
    # The patient's pages. Links in texts are /v/<token>.
    path("photos/", views.photos, name="photos"),
    path("photos/<uuid:photo_id>/image", views.image, name="image"),
    path("photos/<uuid:photo_id>/download", views.download, name="download"),
    path("<token:token>", views.open_link, name="open_link"),
]
