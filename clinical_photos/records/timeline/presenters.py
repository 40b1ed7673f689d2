"""How a patient's photos read in the record: grouped by site and condition, oldest first."""

from dataclasses import dataclass, field
from datetime import datetime

from clinical_photos.core.jinja_helpers import date_long, datetime_long
from clinical_photos.photo_requests import body_sites
from clinical_photos.photos import quality
from clinical_photos.photos.models import Label, Photo


def site_label(code: str) -> str:
    site = body_sites.get(code) if code else None
    return site.label if site else "Body site not recorded"


def taken_at(photo: Photo) -> datetime:
    """When the patient sent it: the nearest the service knows to when it was taken."""
    return photo.response.created_at if photo.response_id else photo.created_at


def alt_text(photo: Photo) -> str:
    """What a screen reader says for the image: "Close-up of the forearm, 3 March 2026"."""
    kind = "Close-up" if photo.label == Label.CLOSE_UP else "Photo showing where it is"
    site = site_label(photo.body_site_code)
    site = f"the {site[0].lower()}{site[1:]}" if photo.body_site_code else "an unrecorded site"
    return f"{kind} of {site}, {date_long(taken_at(photo))}"


def label_words(photo: Photo) -> str:
    return Label(photo.label).label if photo.label in Label.values else ""


def photo_numbers(photos) -> dict:
    """Each photo's place among the photos of the answer that brought it: {id: (2, 5)} is
    "photo 2 of 5". Give every photo of those answers, removed ones too, so the numbers stay
    those the answer had (the filing screen's)."""
    answers: dict = {}
    for photo in sorted(photos, key=lambda p: (p.position, p.created_at)):
        answers.setdefault(photo.response_id, []).append(photo.id)
    return {
        photo_id: (number, len(ids))
        for ids in answers.values()
        for number, photo_id in enumerate(ids, start=1)
    }


def choice_words(photo: Photo, number: tuple[int, int] | None) -> str:
    """How a photo is offered to compare, so that photos sent together can be told apart:
    "Forearm, close-up, 30 November 2026 at 10:15am, photo 2 of 5"."""
    words = (
        f"{site_label(photo.body_site_code)}, {label_words(photo).lower()}, "
        f"{datetime_long(taken_at(photo))}"
    )
    if number:
        words += f", photo {number[0]} of {number[1]}"
    return words + (" (entered in error)" if photo.entered_in_error_at else "")


def turn_words(degrees: int) -> str:
    """What the compare page says under a photo turned to look at."""
    how = {90: "90° clockwise", 180: "180°", 270: "90° anticlockwise"}.get(degrees)
    return f"Rotated {how} to view. The photo in the record is not changed." if how else ""


def quality_words(photo: Photo) -> str:
    """What the automatic check found when the photo arrived, for a clinician beside the image:
    "Automatic check: may be blurry". Empty when it found nothing or the photo was never
    checked (it arrived before the checks existed)."""
    words = quality.staff_words(photo.problems or ())
    return f"Automatic check: {words}" if words else ""


def quality_summary(photo: Photo) -> str:
    """The same, for the photo's own page, where an empty answer would be unclear."""
    if not photo.scores:
        return "Not checked (sent before photos were checked automatically)"
    words = quality.staff_words(photo.problems or ())
    return f"{words[0].upper()}{words[1:]}" if words else "No problems found"


def patient_note(photo: Photo) -> str:
    """What the patient wrote when they sent the photo ("It is bigger now and bled once"):
    shown beside the photo wherever a clinician sees it."""
    return photo.response.text if photo.response_id else ""


def review_words(photo: Photo) -> str:
    """What the clinical review of the photo's submission decided, and who decided it:
    "Reviewed, no action needed, by Dr Amy Patel on 3 December 2026 at 10:15am"; "Waiting
    for review"; empty for photos filed before reviews began."""
    from ..review.presenters import outcome_words

    filing = getattr(photo.response, "filing", None) if photo.response_id else None
    review = getattr(filing, "review", None)
    if review is None:
        return ""
    return outcome_words(review) if review.is_done else "Waiting for review"


def follow_up_words(photo: Photo) -> str:
    """ "Follow-up 2 of 3" for photos sent in answer to a follow-up request."""
    photo_request = _request_of(photo)
    follow_up = getattr(photo_request, "follow_up", None) if photo_request else None
    return f"Follow-up {follow_up.number} of {follow_up.series.times}" if follow_up else ""


def is_usable(photo: Photo) -> bool:
    """May be seen and compared by default: in the record, not removed, not in error."""
    return photo.removed_at is None and photo.entered_in_error_at is None


@dataclass
class Visit:
    """The photos one answer carried: one point on the timeline."""

    taken_at: datetime
    response_id: object
    photo_request: object
    photos: list[Photo] = field(default_factory=list)


@dataclass
class SiteGroup:
    body_site_code: str
    condition: str
    visits: list[Visit] = field(default_factory=list)

    @property
    def title(self) -> str:
        site = site_label(self.body_site_code)
        return f"{site}: {self.condition}" if self.condition else site

    @property
    def usable_photos(self) -> list[Photo]:
        return [p for visit in self.visits for p in visit.photos if is_usable(p)]

    def compare_pair(self) -> tuple[Photo, Photo] | None:
        """By default the earliest and the latest photos, preferring two taken the same way."""
        photos = self.usable_photos
        if len(photos) < 2:
            return None
        latest = photos[-1]
        same_way = [
            p for p in photos if p.label == latest.label and p.response_id != latest.response_id
        ]
        first = same_way[0] if same_way else photos[0]
        return (first, latest) if first.id != latest.id else None


def site_groups(photos) -> list[SiteGroup]:
    """Photos grouped by body site then condition, each group's visits oldest to newest.

    Groups follow the order of the service's list of sites, so the same site always sits in
    the same place on the page.
    """
    order = {site.code: index for index, site in enumerate(body_sites.BODY_SITES)}
    groups: dict[tuple[str, str], SiteGroup] = {}
    for photo in sorted(photos, key=lambda p: (taken_at(p), p.position, p.created_at)):
        key = (photo.body_site_code, photo.condition)
        group = groups.setdefault(key, SiteGroup(*key))
        visit = group.visits[-1] if group.visits else None
        if visit is None or visit.response_id != photo.response_id:
            visit = Visit(taken_at(photo), photo.response_id, _request_of(photo))
            group.visits.append(visit)
        visit.photos.append(photo)
    return sorted(
        groups.values(),
        key=lambda g: (order.get(g.body_site_code, len(order)), g.condition.lower()),
    )


def _request_of(photo: Photo):
    return photo.response.photo_request if photo.response_id else None
