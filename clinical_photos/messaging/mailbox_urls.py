from django.urls import path

from . import mailbox_views

app_name = "mailbox"

urlpatterns = [
    path("", mailbox_views.mailbox_page, name="mailbox"),
]
