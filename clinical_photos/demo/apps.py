from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "clinical_photos.demo"
    label = "demo"
