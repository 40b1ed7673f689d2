from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.verify_code, name="verify_code"),
    path("login/set-up-code/", views.set_up_code, name="set_up_code"),
    path("password/", views.change_password, name="change_password"),
    path("logout/", views.logout_view, name="logout"),
]
