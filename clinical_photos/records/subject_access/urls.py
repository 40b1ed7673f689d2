from django.urls import path

from . import views as export_views

app_name = "export"

urlpatterns = [
    path("patients/<uuid:patient_id>/", export_views.export_patient, name="patient"),
]
