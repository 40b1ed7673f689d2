"""The demo practice's photo requests, at every stage a newcomer should see.

- Photos over time: three patients whose requests for the same body site were answered and
  filed weeks apart (a rash on the forearm getting better, a mole on the back changing, a wound
  on the lower leg healing), each visit a "where it is" photo and a close-up, each reviewed by
  the clinician but the mole's latest, which waits for review (overdue, with the patient's
  worrying note). The wound's second photos came from a follow-up series, which has two more
  texts to send.
- Waiting to be filed: two answers with photos, one of whose photos the checks find blurry.
- Declined, waiting for photos (its link works: the patient's date of birth opens it), and
  needing attention (a link locked after wrong dates of birth, and one that expired).

Everything goes through the services a member of staff or a patient would use, so each photo
is checked, cleaned and encrypted as a real one is, and each step has its audit entry. The
services only ever act now; the rows' moments are moved into the past afterwards (`_backdate`).
The audit log is left as it is: it is hash-chained, and it truthfully says when the demo made
these rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from clinical_photos.accounts.models import Practice, User
from clinical_photos.messaging.models import TextMessage
from clinical_photos.messaging.text import LINK_PATTERN, photo_request_text
from clinical_photos.patient_links import services as links
from clinical_photos.patient_links.date_of_birth import MAX_ATTEMPTS
from clinical_photos.patient_upload import services as upload
from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests import services as requests
from clinical_photos.photo_requests.follow_ups import services as follow_ups
from clinical_photos.photo_requests.models import (
    FollowUp,
    FollowUpSeries,
    PatientLink,
    PhotoRequest,
)
from clinical_photos.photos.models import Label, Photo
from clinical_photos.records.filing import services as filing
from clinical_photos.records.models import Filing, Review
from clinical_photos.records.review import services as review
from clinical_photos.records.review.models import Outcome

from .skin_photos import MONK_3, MONK_4, MONK_5, MONK_6, MONK_8, Problem, skin_photo

# SNOMED CT body structures, from the service's own list (photo_requests/body_sites.py).
FOREARM = "14975008"
UPPER_ARM = "40983000"
SHOULDER = "16982005"
BACK = "77568009"
BACK_OF_KNEE = "32361000"
LOWER_LEG = "30021000"
HAND = "85562004"


@dataclass(frozen=True)
class Shot:
    close_up: bool
    blurred: bool = False


WHERE_AND_CLOSE_UP = (Shot(close_up=False), Shot(close_up=True))


@dataclass(frozen=True)
class Visit:
    """One request answered with photos of `problem`."""

    asked: datetime
    answered: datetime
    problem: Problem
    # Filed into the record then; None leaves it in the inbox to be filed.
    filed: datetime | None = None
    shots: tuple[Shot, ...] = WHERE_AND_CLOSE_UP
    note: str = ""
    # The clinician's review a few hours after filing; None leaves it waiting for review.
    outcome: str | None = Outcome.NO_ACTION
    # Photos sent in answer to the follow-up series the visit before started.
    follows_up: bool = False


@dataclass(frozen=True)
class Series:
    """One patient's problem, photographed at each visit."""

    patient: tuple[str, str]
    template: str
    asked_by: str  # "admin" or "clinician"
    body_site: str
    body: str  # what a "where it is" photo shows: "arm", "leg" or "back"
    tone: str
    visits: list[Visit] = field(default_factory=list)


def _day(days_ago: int, hour: int, minute: int = 0) -> datetime:
    day: date = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _visit(days_ago: int, asked: str, answered: str, problem: Problem, **more) -> Visit:
    """Asked and answered that day (at "HH:MM" each), filed the next morning."""
    return Visit(
        asked=_day(days_ago, *map(int, asked.split(":"))),
        answered=_day(days_ago, *map(int, answered.split(":"))),
        filed=_day(days_ago - 1, 9, 10),
        problem=problem,
        **more,
    )


def _series() -> list[Series]:
    now = timezone.now()
    return [
        Series(
            ("Olivia", "Smith"),
            "Rash",
            "admin",
            FOREARM,
            "arm",
            MONK_4,
            [
                _visit(41, "09:40", "19:05", Problem("rash", 56, 1.0)),
                _visit(27, "10:15", "12:40", Problem("rash", 40, 0.55)),
                _visit(12, "09:05", "20:15", Problem("rash", 22, 0.2)),
            ],
        ),
        Series(
            ("Mohammed", "Khan"),
            "Mole",
            "clinician",
            BACK,
            "back",
            MONK_6,
            [
                _visit(63, "11:20", "17:50", Problem("mole", 6, 0.2)),
                _visit(
                    9,
                    "08:45",
                    "13:30",
                    Problem("mole", 8.5, 0.8),
                    note="It is bigger now and it bled once last week.",
                    outcome=None,
                ),
            ],
        ),
        Series(
            ("Harry", "Brown"),
            "Wound",
            "clinician",
            LOWER_LEG,
            "leg",
            MONK_3,
            [
                _visit(24, "14:10", "16:35", Problem("wound", 46, 1.0), outcome=Outcome.FOLLOW_UP),
                # Asked by the series' first text, two weeks after the first photos' review.
                _visit(
                    9,
                    "09:30",
                    "18:45",
                    Problem("wound", 28, 0.5),
                    note="The edges look less red. It still weeps a little at night.",
                    follows_up=True,
                ),
            ],
        ),
        # Waiting to be filed.
        Series(
            ("Amara", "Osei"),
            "Eczema",
            "admin",
            BACK_OF_KNEE,
            "leg",
            MONK_8,
            [
                Visit(
                    asked=_day(2, 11, 5),
                    answered=_day(1, 19, 40),
                    problem=Problem("rash", 34, 0.7),
                    shots=(Shot(close_up=False), Shot(close_up=True), Shot(close_up=True)),
                    note="It is itchier at night. The cream from the pharmacy has not helped.",
                )
            ],
        ),
        Series(
            ("Jack", "Taylor"),
            "Rash",
            "admin",
            UPPER_ARM,
            "arm",
            MONK_5,
            [
                Visit(
                    asked=_day(1, 15, 30),
                    answered=now - timedelta(hours=2),
                    problem=Problem("rash", 30, 0.8),
                    shots=(Shot(close_up=False), Shot(close_up=True, blurred=True)),
                )
            ],
        ),
    ]


def seed(practice: Practice) -> None:
    staff = {
        "admin": practice.users.get(email="reception@riverside.demo"),
        "clinician": practice.users.get(email="gp@riverside.demo"),
    }
    for number, series in enumerate(_series()):
        for visit_number, visit in enumerate(series.visits):
            _answered_with_photos(
                practice, staff, series, visit, series_number=number, visit_number=visit_number
            )
    _declined(practice, staff["admin"])
    _waiting_for_photos(practice, staff["clinician"])
    _locked(practice, staff["admin"])
    _expired(practice, staff["admin"])


def _patient(practice: Practice, name: tuple[str, str]) -> Patient:
    given, family = name
    return practice.patients.get(given_name=given, family_name=family)


def _ask(practice, by: User, name, template: str, body_site: str, note="") -> PhotoRequest:
    return requests.create_request(
        by=by,
        patient=_patient(practice, name),
        template=practice.request_templates.get(name=template),
        body_site_codes=[body_site],
        note_to_patient=note,
    )


def _link(photo_request: PhotoRequest) -> PatientLink:
    return photo_request.links.get()


def _answered_with_photos(
    practice, staff, series: Series, visit: Visit, *, series_number: int, visit_number: int
) -> None:
    asked_by = staff[series.asked_by]
    photo_request = _ask(practice, asked_by, series.patient, series.template, series.body_site)
    link = _link(photo_request)
    for number, shot in enumerate(visit.shots):
        photo = skin_photo(
            visit.problem,
            body=series.body,
            close_up=shot.close_up,
            tone=series.tone,
            # The same patch of skin at every visit, the phone held a little differently.
            seed=series_number * 10 + number,
            visit=visit_number,
            blurred=shot.blurred,
        )
        label = Label.CLOSE_UP if shot.close_up else Label.WHERE
        upload.add_photo(link, photo, f"IMG_{4100 + 10 * visit_number + number}.jpg", label)
    if visit.note:
        upload.save_note(link, visit.note)
    response = upload.send_photos(link)
    if visit.follows_up:
        _as_follow_up(photo_request)
    if visit.filed is not None:
        filing.file_submission(by=staff["admin"], response=response)
        if visit.outcome is not None:
            _reviewed(staff["clinician"], photo_request, visit.outcome)
    _backdate(photo_request, asked=visit.asked, answered=visit.answered, filed=visit.filed)


def _reviewed(clinician: User, photo_request: PhotoRequest, outcome: str) -> None:
    waiting = Review.objects.get(filing__response__photo_request=photo_request)
    review.record_outcome(
        by=clinician,
        review=waiting,
        outcome=outcome,
        # A wound being dressed at home: photos every 2 weeks, 3 times.
        follow_up=review.FollowUpPlan(every=2, unit="weeks", times=3)
        if outcome == Outcome.FOLLOW_UP
        else None,
    )


def _as_follow_up(photo_request: PhotoRequest) -> None:
    """The request was the first of the series the visit before started: the series' first
    text is this request (so its photos line up with the series on the timeline)."""
    series = FollowUpSeries.objects.filter(patient=photo_request.patient).latest("started_at")
    FollowUp.objects.filter(series=series, number=1).update(photo_request=photo_request)


def _declined(practice, admin: User) -> None:
    photo_request = _ask(practice, admin, ("Sofia", "Kowalski"), "Rash", HAND)
    upload.decline(
        _link(photo_request), "I would rather show the doctor at my appointment on Friday."
    )
    _backdate(photo_request, asked=_day(6, 10, 15), answered=_day(5, 8, 50))


def _waiting_for_photos(practice, clinician: User) -> None:
    # Asked just now, so its link works: the patient's date of birth is on their page.
    _ask(
        practice,
        clinician,
        ("Mei", "Chen"),
        "Mole",
        SHOULDER,
        note="Please put a ruler or a coin next to the mole in one of the close-ups.",
    )


def _locked(practice, admin: User) -> None:
    photo_request = _ask(practice, admin, ("Ethan", "Evans"), "Rash", FOREARM)
    _backdate(photo_request, asked=_day(1, 14, 20))
    link = _link(photo_request)
    born = photo_request.patient.date_of_birth
    # Someone who did not know the patient's date of birth kept guessing.
    for guess in range(1, MAX_ATTEMPTS + 1):
        links.check_date_of_birth(PatientLink, link, born - timedelta(days=400 * guess))


def _expired(practice, admin: User) -> None:
    photo_request = _ask(practice, admin, ("George", "Roberts"), "Eczema", HAND)
    _backdate(photo_request, asked=_day(practice.link_lifetime_days + 3, 11, 30))


def _backdate(
    photo_request: PhotoRequest,
    *,
    asked: datetime,
    answered: datetime | None = None,
    filed: datetime | None = None,
) -> None:
    """Move a request's moments into the past, keeping each status with its moment (the
    request's check constraint) and every row's moment in order: asked, answered, filed."""
    lifetime = timedelta(days=photo_request.practice.link_lifetime_days)
    PhotoRequest.objects.filter(pk=photo_request.pk).update(
        created_at=asked, **({"answered_at": answered} if answered else {})
    )
    photo_request.links.update(
        created_at=asked, expires_at=asked + lifetime, **({"used_at": answered} if answered else {})
    )
    for message in photo_request.text_messages.all():
        _as_sent_then(message, asked, asked + lifetime)
    if answered is None:
        return
    PatientResponse.objects.filter(photo_request=photo_request).update(created_at=answered)
    # The patient chose the photos a few minutes before sending them.
    Photo.objects.filter(response__photo_request=photo_request).update(
        created_at=answered - timedelta(minutes=6)
    )
    if filed is not None:
        Filing.objects.filter(response__photo_request=photo_request).update(filed_at=filed)
        _backdate_review(photo_request, filed)


def _backdate_review(photo_request: PhotoRequest, filed: datetime) -> None:
    """The review opened as the photos were filed, and given (if it was) that afternoon; a
    series it started began then too, its dates counted from that day."""
    practice = photo_request.practice
    reviewed = filed + timedelta(hours=5)
    reviews = Review.objects.filter(filing__response__photo_request=photo_request)
    reviews.update(created_at=filed, due_at=review.due_at_for(practice, filed))
    reviews.exclude(reviewed_at=None).update(reviewed_at=reviewed)
    for series in FollowUpSeries.objects.filter(started_by_review__in=reviews):
        FollowUpSeries.objects.filter(pk=series.pk).update(started_at=reviewed)
        dates = follow_ups.due_dates(
            timezone.localtime(reviewed).date(),
            every=series.every,
            unit=series.unit,
            times=series.times,
        )
        for follow_up, due_on in zip(series.follow_ups.order_by("number"), dates, strict=True):
            FollowUp.objects.filter(pk=follow_up.pk).update(due_on=due_on)


def _as_sent_then(message: TextMessage, sent: datetime, expires_at: datetime) -> None:
    """The text as it was sent then: its date, and the link's end in its words."""
    body = message.body
    found = LINK_PATTERN.search(body)
    if found is not None:
        message.body = photo_request_text(
            practice_name=message.practice.name, link_url=found.group(), expires_at=expires_at
        )
    moments = {name: sent for name in ("sent_at", "delivered_at") if getattr(message, name)}
    TextMessage.objects.filter(pk=message.pk).update(
        body_encrypted=message.body_encrypted, created_at=sent, **moments
    )
