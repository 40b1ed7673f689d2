from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clinical_photos.core"
    label = "core"
