from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "clinical_photos.messaging"
    label = "messaging"
