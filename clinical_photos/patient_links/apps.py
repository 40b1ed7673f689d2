from django.apps import AppConfig


class PatientLinksConfig(AppConfig):
    name = "clinical_photos.patient_links"
    label = "patient_links"
