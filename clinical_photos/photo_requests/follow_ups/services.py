"""Follow-up photos on a schedule: a clinician asks for the same site again, every N days or
weeks, M times, and the task worker texts each request on its date.

Each time in a series is worked out when the series starts (`due_dates`), on a working day,
and made into a request by `send_due`, which the worker runs every few minutes
(records/review/tasks.py): a text goes from 9am on its day, never in the night. Stopping a
series (staff, or the patient from their link) stops every text not yet sent; a request
already sent stays as it is, for staff to cancel if they wish.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from clinical_photos.accounts.models import User
from clinical_photos.accounts.permissions import Permission, require
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record
from clinical_photos.core import working_days

from .. import services as request_services
from ..models import MAX_FOLLOW_UPS, FollowUp, FollowUpSeries, PatientLink, PhotoRequest

logger = logging.getLogger(__name__)

# Texts for the day go from this time: a patient is not woken by a request for photos.
SEND_FROM = time(9, 0)
# At most a year between two requests.
MAX_EVERY = {FollowUpSeries.Unit.DAYS: 365, FollowUpSeries.Unit.WEEKS: 52}


class SeriesNotAllowed(ValueError):
    """The schedule asked for is outside what the service allows; `str()` says why."""


def due_dates(start: date, *, every: int, unit: str, times: int) -> list[date]:
    """When each request of a series is due: every `every` days or weeks after `start`,
    moved on to the next working day where one lands on a weekend or a bank holiday (staff
    are there to file and review what comes back)."""
    step = timedelta(days=every * (7 if unit == FollowUpSeries.Unit.WEEKS else 1))
    return [working_days.on_or_after(start + step * n) for n in range(1, times + 1)]


def check_schedule(*, every: int, unit: str, times: int) -> None:
    if unit not in FollowUpSeries.Unit.values:
        raise SeriesNotAllowed("Choose days or weeks")
    if not 1 <= every <= MAX_EVERY[unit]:
        raise SeriesNotAllowed(f"Enter how often, from 1 to {MAX_EVERY[unit]} {unit}")
    if not 1 <= times <= MAX_FOLLOW_UPS:
        raise SeriesNotAllowed(f"Enter how many times, from 1 to {MAX_FOLLOW_UPS}")


def start_series(
    *, by: User, follows: PhotoRequest, every: int, unit: str, times: int, patient=None
) -> FollowUpSeries:
    """Plan the series, one FollowUp per time, with its audit entry. Nothing is texted now.

    The requests go to `patient`: by default the one `follows` was for (photos filed into
    another patient's record are followed up with that patient).
    """
    require(by, Permission.ASK_FOR_FOLLOW_UPS, of=follows)
    patient = patient or follows.patient
    check_schedule(every=every, unit=unit, times=times)
    with transaction.atomic():
        series = FollowUpSeries.objects.create(
            practice=follows.practice,
            patient=patient,
            started_by=by,
            follows=follows,
            every=every,
            unit=unit,
            times=times,
        )
        FollowUp.objects.bulk_create(
            FollowUp(series=series, number=number, due_on=day)
            for number, day in enumerate(
                due_dates(timezone.localdate(), every=every, unit=unit, times=times), start=1
            )
        )
        record(
            Action.FOLLOW_UPS_STARTED,
            user=by,
            target=series,
            detail={"request": str(follows.id), "every": every, "unit": unit, "times": times},
        )
    return series


def stop_series(*, by: User, series: FollowUpSeries) -> bool:
    """Send no more of the series' texts. False (nothing changed) if it had stopped already."""
    require(by, Permission.REQUEST_PHOTOS, of=series)
    return _stop(series, by=by)


def stop_series_for_patient(*, link: PatientLink) -> bool:
    """The patient said, through their link to a follow-up request, that they no longer need
    to send these photos: no more of the series' texts go."""
    follow_up = FollowUp.objects.filter(photo_request_id=link.photo_request_id).first()
    if follow_up is None:
        return False
    return _stop(follow_up.series, by=None, link=link)


def _stop(series: FollowUpSeries, *, by: User | None, link: PatientLink | None = None) -> bool:
    with transaction.atomic():
        locked = FollowUpSeries.objects.select_for_update(no_key=True).get(pk=series.pk)
        if locked.is_stopped:
            return False
        locked.stopped_at, locked.stopped_by = timezone.now(), by
        locked.save(update_fields=["stopped_at", "stopped_by"])
        not_sent = locked.follow_ups.filter(photo_request=None).count()
        if link is not None:
            record(
                Action.FOLLOW_UPS_STOPPED,
                **(link.audit_as() | {"target": locked}),
                detail={"by_patient": True, "not_sent": not_sent},
            )
        else:
            record(
                Action.FOLLOW_UPS_STOPPED,
                user=by,
                target=locked,
                detail={"by_patient": False, "not_sent": not_sent},
            )
    series.stopped_at, series.stopped_by = locked.stopped_at, locked.stopped_by
    return True


def due_now(now: datetime | None = None):
    """Follow-ups whose text should have gone by `now` and has not."""
    local = timezone.localtime(now or timezone.now())
    latest_day = local.date() if local.time() >= SEND_FROM else local.date() - timedelta(days=1)
    return FollowUp.objects.filter(
        photo_request=None, due_on__lte=latest_day, series__stopped_at=None
    )


def send_due(now: datetime | None = None) -> int:
    """Make and text every follow-up request that is due. Safe to run at any time, and twice
    at once: each follow-up is locked and checked again before its request is made."""
    sent = 0
    for follow_up_id in due_now(now).values_list("id", flat=True):
        if _send(follow_up_id):
            sent += 1
    return sent


def _send(follow_up_id) -> bool:
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.select_for_update(no_key=True)
            .select_related("series__follows__template", "series__patient__practice")
            .filter(pk=follow_up_id, photo_request=None, series__stopped_at=None)
            .first()
        )
        if follow_up is None:
            return False  # sent or stopped meanwhile
        series = follow_up.series
        follows = series.follows
        follow_up.photo_request = request_services.make_and_send(
            by=series.started_by,
            patient=series.patient,
            template=follows.template,
            reason=follows.reason,
            body_site_codes=follows.body_site_codes,
            note_to_patient=follows.note_to_patient,
            detail={"follow_up": follow_up.number, "of": series.times},
            follow_up=True,
        )
        follow_up.save(update_fields=["photo_request"])
        record(
            Action.FOLLOW_UP_SENT,
            practice=series.practice,
            target=series,
            detail={"number": follow_up.number, "request": str(follow_up.photo_request_id)},
        )
    logger.info("Sent follow-up %s of series %s.", follow_up.number, series.id)
    return True


# How a series reads to staff


def started_words(series: FollowUpSeries) -> str:
    """ "Follow-up photos will be asked for every 2 weeks, 3 times, from 15 December 2026"."""
    from clinical_photos.core.jinja_helpers import date_long

    first = series.follow_ups.order_by("number").first()
    times = "once" if series.times == 1 else f"{series.times} times"
    return (
        f"{series.patient.full_name} will be asked for follow-up photos {series.interval_words}, "
        f"{times}, from {date_long(first.due_on)}"
    )


@dataclass(frozen=True)
class FollowUpState:
    words: str
    colour: str  # an NHS tag colour


def state_of(follow_up: FollowUp, *, now: datetime | None = None) -> FollowUpState:
    """One time in a series as staff see it; "Missed" is the flag for photos that never came."""
    now = now or timezone.now()
    photo_request = follow_up.photo_request
    if photo_request is None:
        if follow_up.series.is_stopped:
            return FollowUpState("Not sent: the series was stopped", "grey")
        return FollowUpState("Not sent yet", "white")
    status = photo_request.status
    if status == PhotoRequest.Status.ANSWERED:
        return FollowUpState("Photos sent", "green")
    if status == PhotoRequest.Status.DECLINED:
        return FollowUpState("Patient chose not to send photos", "yellow")
    if status == PhotoRequest.Status.CANCELLED:
        return FollowUpState("Cancelled", "grey")
    link = photo_request.current_link
    if link is None or link.expires_at <= now:
        return FollowUpState("Missed: no photos came before the link ran out", "red")
    return FollowUpState("Waiting for photos", "blue")
