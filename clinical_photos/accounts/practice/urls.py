"""The practice manager's pages, mounted at /practice/."""

from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("", views.home, name="home"),
    path("users/", views.users, name="users"),
    path("users/add/", views.add_user, name="add_user"),
    path("users/<uuid:user_id>/disable/", views.disable_user, name="disable_user"),
    path("users/<uuid:user_id>/enable/", views.enable_user, name="enable_user"),
    path("settings/", views.link_lifetime, name="link_lifetime"),
    path("settings/review/", views.review_time, name="review_time"),
]
