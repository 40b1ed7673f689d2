"""The link a patient is texted to send photos: its session, the words of its pages, and what
its pages do differently from every other link's (patient_links/journey.py)."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from clinical_photos.patient_links.journey import STATE_WORDS, LinkJourney
from clinical_photos.patient_links.models import LinkState
from clinical_photos.patient_links.session import PatientSession
from clinical_photos.photo_requests.models import PatientLink


def wants_json(request) -> bool:
    """The choose-photos page's script asks for JSON; a browser's own requests never do."""
    return request.headers.get("Accept") == "application/json"


class UploadJourney(LinkJourney):
    """Two things only this journey does: the choose-photos page's script talks JSON, so it is
    told in JSON when it cannot go on; and once the patient has answered, every page leads to
    the confirmation, so going back and sending again cannot happen."""

    def ended_page(self, request):
        if wants_json(request):
            return self._cannot_go_on(self.ended_title(request))
        return super().ended_page(request)

    def closed(self, request, link, state: LinkState):
        if wants_json(request):
            return self._cannot_go_on(STATE_WORDS[state][0])
        if state == LinkState.USED:
            return redirect("patient_upload:sent")
        return super().closed(request, link, state)

    @staticmethod
    def _cannot_go_on(title: str):
        """For the page's script: this link cannot take photos now. `next` is the page that
        says why (the one a plain form post would have been shown), for the script to go to."""
        return JsonResponse(
            {"error": f"{title}.", "next": reverse("patient_upload:choose_photos")}, status=403
        )


UPLOAD = UploadJourney(
    model=PatientLink,
    session=PatientSession(
        cookie_name_setting="PATIENT_SESSION_COOKIE_NAME",
        salt="clinical_photos.patient_upload.session",
    ),
    service_name="Send photos to your GP surgery",
    doing="send photos",
    someone_else=(
        "If you are sending photos for a child or someone you care for, enter their date of birth."
    ),
    first_page="patient_upload:agreement",
    related=(
        "photo_request__practice",
        "photo_request__patient",
        "photo_request__requested_by",
        "photo_request__template",
    ),
    after_timeout="Any photos you already added are kept.",
)
