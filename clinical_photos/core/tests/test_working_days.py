"""Working days: how long staff have had, and when something is due, with bank holidays out."""

from datetime import date

import pytest

from clinical_photos.core import working_days


@pytest.mark.parametrize(
    ("start", "end", "waited"),
    [
        (date(2026, 3, 2), date(2026, 3, 3), 1),  # Monday to Tuesday
        (date(2026, 3, 2), date(2026, 3, 6), 4),  # Monday to Friday
        (date(2026, 3, 7), date(2026, 3, 9), 1),  # Saturday to Monday
        (date(2026, 4, 2), date(2026, 4, 7), 1),  # over Easter: Good Friday, Easter Monday
        (date(2026, 12, 24), date(2026, 12, 29), 1),  # Christmas, Boxing Day observed on the 28th
        (date(2026, 12, 31), date(2027, 1, 4), 1),  # New Year's Day, across the year's end
        (date(2026, 3, 6), date(2026, 3, 6), 0),
        (date(2026, 3, 6), date(2026, 3, 2), 0),
    ],
)
def test_days_waited_leave_out_weekends_and_bank_holidays(start, end, waited):
    assert working_days.working_days_between(start, end) == waited


@pytest.mark.parametrize(
    ("day", "later", "due"),
    [
        (date(2026, 3, 2), 1, date(2026, 3, 3)),
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday: the Monday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday: the Monday too
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # Spring bank holiday Monday
        (date(2026, 12, 24), 2, date(2026, 12, 30)),
    ],
)
def test_due_dates_fall_on_working_days(day, later, due):
    assert working_days.add_working_days(day, later) == due


def test_a_date_that_is_not_a_working_day_moves_to_the_next_that_is():
    assert working_days.on_or_after(date(2026, 12, 25)) == date(2026, 12, 29)
    assert working_days.on_or_after(date(2026, 3, 4)) == date(2026, 3, 4)
    assert not working_days.is_working_day(date(2026, 8, 31))  # Late summer bank holiday
