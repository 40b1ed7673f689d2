"""Working days, for saying how long a submission has waited to be filed.

A working day here is Monday to Friday. Bank holidays in England are not taken out (that needs
a published list kept up to date, left for later), so over a bank holiday a submission is
flagged a day early: the safe side to be wrong on.

Counting: the day a submission arrives does not count; each Monday-to-Friday day after it, up
to and including today, counts one. Photos sent on a Monday have waited 1 working day on the
Tuesday and 4 on the Friday; photos sent on a Saturday have waited 1 on the Monday.

A submission is overdue when it has waited more than FILE_WITHIN working days: sent on a Monday,
it may be filed on Tuesday, Wednesday or Thursday, and is flagged from Friday.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

# Submissions should be filed within this many working days of arriving.
FILE_WITHIN = 3

SATURDAY = 5


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY


def working_days_between(start: date, end: date) -> int:
    """Working days after `start`, up to and including `end` (0 when `end` is not later)."""
    if end <= start:
        return 0
    days = (end - start).days
    whole_weeks, rest = divmod(days, 7)
    count = whole_weeks * 5
    for offset in range(1, rest + 1):
        if is_working_day(start + timedelta(days=offset)):
            count += 1
    return count


def working_days_waited(arrived_at: datetime, today: date | None = None) -> int:
    """How many working days something that arrived at `arrived_at` has waited by `today`."""
    today = today or timezone.localdate()
    return working_days_between(timezone.localtime(arrived_at).date(), today)


def is_overdue(arrived_at: datetime, today: date | None = None) -> bool:
    return working_days_waited(arrived_at, today) > FILE_WITHIN


def overdue_if_arrived_before(today: date | None = None) -> datetime:
    """The moment before which anything that arrived is overdue today.

    For database queries: `created_at < overdue_if_arrived_before()` is the same test as
    `is_overdue(created_at)`, with no per-row arithmetic.
    """
    today = today or timezone.localdate()
    # Walk back to the (FILE_WITHIN + 1)th working day counting today: anything that arrived
    # before that day has that many working days after it.
    day, counted = today, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == FILE_WITHIN + 1:
                break
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))
