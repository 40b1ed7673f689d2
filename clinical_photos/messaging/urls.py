from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("notify/callback/", views.notify_callback, name="notify_callback"),
]
