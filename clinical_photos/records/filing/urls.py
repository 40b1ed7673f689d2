from django.urls import path

from . import views as filing_views

app_name = "filing"

urlpatterns = [
    path("<uuid:response_id>/", filing_views.submission, name="submission"),
    path(
        "<uuid:response_id>/another-patient/",
        filing_views.another_patient,
        name="another_patient",
    ),
]
