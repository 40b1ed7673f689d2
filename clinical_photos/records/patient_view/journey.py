"""The link a clinician texts a patient to see their own photos: its session and its words."""

from clinical_photos.patient_links.journey import LinkJourney
from clinical_photos.patient_links.session import PatientSession

from .models import PatientViewLink

VIEW = LinkJourney(
    model=PatientViewLink,
    session=PatientSession(
        cookie_name_setting="PATIENT_VIEW_SESSION_COOKIE_NAME",
        salt="clinical_photos.records.patient_view.session",
    ),
    service_name="See your photos from your GP surgery",
    doing="see your photos",
    someone_else=(
        "If you are looking at photos of a child or someone you care for, enter their date of "
        "birth."
    ),
    first_page="patient_view:photos",
    related=("practice", "patient"),
)
