from django.urls import path

from . import views

app_name = "request_templates"

urlpatterns = [
    path("", views.template_list, name="list"),
    path("add/", views.add_template, name="add"),
    path("<uuid:template_id>/edit/", views.edit_template, name="edit"),
]
