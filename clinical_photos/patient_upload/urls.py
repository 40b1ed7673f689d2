from django.urls import path, register_converter

from . import views


class TokenConverter:
    """A link's token: url-safe characters, long enough that no page name can be one."""

    regex = r"[A-Za-z0-9_-]{20,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

app_name = "patient_upload"

urlpatterns = [
    path("about/", views.agreement, name="agreement"),
    path("no-photos/", views.decline, name="decline"),
    path("tips/", views.tips, name="tips"),
    path("photos/", views.choose_photos, name="choose_photos"),
    path("photos/<uuid:photo_id>/remove/", views.remove_photo, name="remove_photo"),
    path("check/", views.check, name="check"),
    path("done/", views.sent, name="sent"),
    path("<token:token>", views.open_link, name="open_link"),
]
