"""A patient's answers, made through the patient's own steps (patient_upload.services): photos
added to the link, then sent; or a polite no."""

from django.core.files.uploadedfile import SimpleUploadedFile

from clinical_photos.patient_upload import services
from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.photos.tests.images import jpeg


def send_photos(
    photo_request, labels=("where", "close_up"), *, note="", photos=None
) -> PatientResponse:
    """The patient sends one photo per label (each a different colour unless `photos` are
    given) with an optional note."""
    link = photo_request.current_link
    photos = photos or [jpeg(colour=(40 * i, 100, 90)) for i in range(len(labels))]
    _, problems = services.add_photos(
        link,
        [
            (data, f"photo{i}.jpg", label)
            for i, (data, label) in enumerate(zip(photos, labels, strict=True))
        ],
    )
    assert not problems, problems
    if note:
        services.save_note(link, note)
    return services.send_photos(link)


def decline(photo_request, reason="") -> PatientResponse:
    return services.decline(photo_request.current_link, reason)


def upload(name: str, content: bytes, content_type="image/jpeg") -> SimpleUploadedFile:
    """A file as a browser posts it from the choose-photos form."""
    return SimpleUploadedFile(name, content, content_type=content_type)
