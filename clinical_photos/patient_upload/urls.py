from django.urls import path

from clinical_photos.patient_links import converters  # noqa: F401 (registers <token:...>)

from . import views

app_name = "patient_upload"

urlpatterns = [
    path("about/", views.agreement, name="agreement"),
    path("no-photos/", views.decline, name="decline"),
    path("tips/", views.tips, name="tips"),
    path("photos/", views.choose_photos, name="choose_photos"),
    path("photos/add/", views.add_photo, name="add_photo"),
    path("photos/<uuid:photo_id>/remove/", views.remove_photo, name="remove_photo"),
    path("photos/<uuid:photo_id>/preview/", views.photo_preview, name="photo_preview"),
    path("check/", views.check, name="check"),
    path("done/", views.sent, name="sent"),
    path("<token:token>", views.open_link, name="open_link"),
]
