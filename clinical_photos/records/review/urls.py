"""Clinical review, mounted at /review/."""

from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("<uuid:review_id>/", views.detail, name="detail"),
    path("<uuid:review_id>/take/", views.take, name="take"),
    path("<uuid:review_id>/assign/", views.assign, name="assign"),
]
