from django.apps import AppConfig


class PatientUploadConfig(AppConfig):
    name = "clinical_photos.patient_upload"
    label = "patient_upload"
