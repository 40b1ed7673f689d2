from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "clinical_photos.records"
    label = "records"
