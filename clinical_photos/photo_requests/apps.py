from django.apps import AppConfig


class PhotoRequestsConfig(AppConfig):
    name = "clinical_photos.photo_requests"
    label = "photo_requests"
