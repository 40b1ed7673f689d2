"""Working days in England and Wales: Monday to Friday, less the bank holidays.

Used for how long something has waited (a submission to file, photos to review) and for when
it is due (a review, a follow-up text). Bank holidays come from the `holidays` package, which
holds the rules for every year offline (the GOV.UK list would need a download, and a bundled
copy runs out). The counting is numpy's business-day arithmetic, given those holidays.

Counting: the day something arrives does not count; each working day after it, up to and
including today, counts one. Photos sent on a Monday have waited 1 working day on the Tuesday
and 4 on the Friday; photos sent on a Saturday have waited 1 on the Monday; photos sent on the
Thursday before Easter have waited 1 on the Tuesday after it.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
import numpy
from django.utils import timezone


@lru_cache(maxsize=64)
def _bank_holidays(first_year: int, last_year: int) -> tuple[date, ...]:
    # England's bank holidays are Wales's too (Scotland and Northern Ireland differ).
    return tuple(
        holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    )


def _holidays_around(*days: date) -> tuple[date, ...]:
    # A year either side: adding working days can cross into the next year.
    years = [day.year for day in days]
    return _bank_holidays(min(years) - 1, max(years) + 1)


def is_working_day(day: date) -> bool:
    return bool(numpy.is_busday(day, holidays=_holidays_around(day)))


def working_days_between(start: date, end: date) -> int:
    """Working days after `start`, up to and including `end` (0 when `end` is not later)."""
    if end <= start:
        return 0
    after_start = start + timedelta(days=1)
    return int(
        numpy.busday_count(
            after_start, end + timedelta(days=1), holidays=_holidays_around(start, end)
        )
    )


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day`: 1 working day after a Friday, or
    after the Saturday or Sunday that follow it, is the Monday."""
    rolled = numpy.busday_offset(day, 0, roll="backward", holidays=_holidays_around(day))
    moved = numpy.busday_offset(rolled, count, holidays=_holidays_around(day))
    return moved.astype(date)


def on_or_after(day: date) -> date:
    """`day` if it is a working day, else the next one: a Saturday's becomes the Monday's."""
    return numpy.busday_offset(day, 0, roll="forward", holidays=_holidays_around(day)).astype(date)


def working_days_waited(arrived_at: datetime, today: date | None = None) -> int:
    """How many working days something that arrived at `arrived_at` has waited by `today`."""
    today = today or timezone.localdate()
    return working_days_between(timezone.localtime(arrived_at).date(), today)


def end_of_working_day(day: date) -> datetime:
    """The last moment of `day`, in the service's time zone (for a due-by moment)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
