from django.urls import path

from . import views

app_name = "patients"

urlpatterns = [
    path("", views.search, name="search"),
    path("add/", views.add, name="add"),
    path("<uuid:patient_id>/", views.detail, name="detail"),
]
