"""The record's pages, mounted at /record/."""

from django.urls import path

from . import views

app_name = "record"

urlpatterns = [
    path("patients/<uuid:patient_id>/", views.timeline, name="timeline"),
    path("patients/<uuid:patient_id>/compare/", views.compare, name="compare"),
    path("photos/<uuid:photo_id>/", views.photo, name="photo"),
    path("photos/<uuid:photo_id>/image", views.photo_image, name="photo_image"),
    path("photos/<uuid:photo_id>/preview", views.photo_preview, name="photo_preview"),
    path("photos/<uuid:photo_id>/details/", views.change_details, name="change_details"),
    path(
        "photos/<uuid:photo_id>/entered-in-error/",
        views.entered_in_error,
        name="entered_in_error",
    ),
    path("photos/<uuid:photo_id>/remove/", views.remove, name="remove"),
]
