from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clinical_photos.accounts"
    label = "accounts"
