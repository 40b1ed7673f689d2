"""How the inbox reads to staff: words and tags, never an image."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from clinical_photos.core import working_days
from clinical_photos.messaging.models import TextMessage
from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.photo_requests.models import PhotoRequest
from clinical_photos.photos import quality

# Submissions should be filed within this many working days of arriving.
FILE_WITHIN = 3


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str

    @property
    def classes(self) -> str:
        return f"nhsuk-tag--{self.colour}"


@dataclass(frozen=True)
class InboxRow:
    photo_request: PhotoRequest
    patient_name: str
    nhs_number: str
    asked_for: str
    asked_by: str
    # "Answered" or "Asked", and when.
    when_label: str
    when: datetime
    tags: list[Tag]
    request_url: str
    # The filing screen, for photos waiting to be filed.
    file_url: str | None = None
    # Working days an unfiled submission has waited, when that is too long.
    overdue_days: int | None = None
    notes: list[str] = field(default_factory=list)
    # What the automatic checks found in the photos: "2 of 5 photos may be blurry".
    quality: list[str] = field(default_factory=list)


def _photos(count: int) -> str:
    return f"{count} photo" if count == 1 else f"{count} photos"


def inbox_row(
    photo_request: PhotoRequest, *, today: date | None = None, photo_problems=()
) -> InboxRow:
    """One row of the inbox, from a request annotated by inbox_services.with_state.

    `photo_problems` holds each sent photo's quality problems (inbox_services.photo_problems).
    """
    today = today or timezone.localdate()
    answer: PatientResponse | None = getattr(photo_request, "response", None)
    tags: list[Tag] = []
    file_url = None
    overdue_days = None
    if answer is not None and answer.kind == PatientResponse.Kind.PHOTOS:
        filing = getattr(answer, "filing", None)
        if filing is None:
            tags.append(Tag(f"{_photos(photo_request.photo_count)}, not filed", "blue"))
            file_url = reverse("filing:submission", kwargs={"response_id": answer.id})
            waited = working_days.working_days_waited(answer.created_at, today)
            if waited > FILE_WITHIN:
                overdue_days = waited
                tags.append(Tag(f"Not filed for {waited} working days", "red"))
        else:
            tags.append(Tag(f"{_photos(photo_request.photo_count)}, filed", "green"))
    elif answer is not None:
        tags.append(Tag("Declined", "yellow"))
    elif photo_request.link_locked:
        tags.append(Tag("Link locked", "red"))
    elif photo_request.latest_text_status == TextMessage.Status.FAILED:
        tags.append(Tag("Text not delivered", "red"))
    elif photo_request.link_expired:
        tags.append(Tag("Expired", "orange"))
    patient = photo_request.patient
    return InboxRow(
        photo_request=photo_request,
        patient_name=patient.full_name,
        nhs_number=patient.nhs_number,
        asked_for=photo_request.template.name,
        asked_by=photo_request.requested_by.full_name,
        when_label="Answered" if answer is not None else "Asked",
        when=answer.created_at if answer is not None else photo_request.created_at,
        tags=tags,
        request_url=reverse("photo_requests:detail", kwargs={"request_id": photo_request.id}),
        file_url=file_url,
        overdue_days=overdue_days,
        quality=quality.staff_summary(list(photo_problems)),
    )


def inbox_rows(photo_requests, *, photo_problems: dict | None = None) -> list[InboxRow]:
    today = timezone.localdate()
    photo_problems = photo_problems or {}
    return [
        inbox_row(
            photo_request, today=today, photo_problems=photo_problems.get(photo_request.id, ())
        )
        for photo_request in photo_requests
    ]
