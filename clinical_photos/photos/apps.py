from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "clinical_photos.photos"
    label = "photos"
