from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "clinical_photos.patients"
    label = "patients"
