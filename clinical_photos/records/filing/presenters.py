"""How the filing screen describes a submission to staff: in words only, never an image."""

from dataclasses import dataclass

from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.photo_requests.models import PhotoRequest
from clinical_photos.photos import quality
from clinical_photos.photos.models import Label


@dataclass(frozen=True)
class PhotoDescription:
    """What the filing screen says about one photo: its place and the patient's label."""

    number: int
    label: str
    # What the automatic check found, e.g. "may be blurry"; empty when nothing.
    quality: str = ""


@dataclass(frozen=True)
class Submission:
    """A patient's answer as the filing screen describes it, in words only."""

    response: PatientResponse
    photo_request: PhotoRequest
    body_sites: list[str]
    photos: list[PhotoDescription]
    note: str
    # The body site the photos are filed under (the request's first).
    filed_site: str

    @property
    def photo_count(self) -> int:
        return len(self.photos)


def submission(response: PatientResponse, photos, note: str) -> Submission:
    photo_request = response.photo_request
    labels = dict(Label.choices)
    sites = [site.label for site in photo_request.body_sites]
    return Submission(
        response=response,
        photo_request=photo_request,
        body_sites=sites,
        photos=[
            PhotoDescription(
                number,
                labels.get(photo.label, photo.label),
                quality.staff_words(photo.problems or ()),
            )
            for number, photo in enumerate(photos, start=1)
        ],
        note=note,
        filed_site=sites[0] if sites else "",
    )
