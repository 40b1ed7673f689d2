from django.urls import path

from . import views

app_name = "photo_requests"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/<uuid:patient_id>/", views.new, name="new"),
    path("<uuid:request_id>/", views.detail, name="detail"),
    path("<uuid:request_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:request_id>/send-again/", views.resend, name="resend"),
]
