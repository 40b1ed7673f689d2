from django.urls import path, register_converter

from . import patient_view_views as views


class ViewTokenConverter:
    """A view link's token: url-safe characters, long enough that no page name can be one."""

    regex = r"[A-Za-z0-9_-]{20,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ViewTokenConverter, "view_token")

app_name = "patient_view"

urlpatterns = [
    # Staff (clinicians): send the patient a link.
    path("send/<uuid:patient_id>/", views.send_link, name="send"),
    # The patient's pages. Links in texts are /v/<token>.
    path("photos/", views.photos, name="photos"),
    path("photos/<uuid:photo_id>/image", views.image, name="image"),
    path("photos/<uuid:photo_id>/download", views.download, name="download"),
    path("<view_token:token>", views.open_link, name="open_link"),
]
