from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clinical_photos.audit"
    label = "audit"
