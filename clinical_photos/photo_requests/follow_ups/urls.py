"""Follow-up series, mounted at /follow-ups/."""

from django.urls import path

from . import views

app_name = "follow_ups"

urlpatterns = [
    path("after/<uuid:request_id>/", views.new, name="new"),
    path("<uuid:series_id>/", views.detail, name="detail"),
    path("<uuid:series_id>/stop/", views.stop, name="stop"),
]
