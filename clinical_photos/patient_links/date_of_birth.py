"""The date-of-birth check that stands in front of every link a patient is texted.

The rules (constant-time comparison, one answer for a wrong date and an unknown link, a budget
of guesses per address); services.check_date_of_birth applies them to a link and locks it.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

# Wrong dates of birth a link accepts before it stops working.
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class DateOfBirthResult:
    verified: bool
    locked: bool = False
    # Wrong dates the link still accepts before it locks; None when there is no link to lock.
    tries_left: int | None = None


def tries_left(failed_attempts: int) -> int:
    return max(0, MAX_ATTEMPTS - failed_attempts)


def dates_match(expected: date | None, given: date) -> bool:
    """Compared as digests in constant time, so that a wrong date and an unknown link (which
    has no date to compare: pass None) take the same path and the same time."""
    known = (expected or date(1, 1, 1)).isoformat().encode()
    same = hmac.compare_digest(
        hashlib.sha256(known).digest(), hashlib.sha256(given.isoformat().encode()).digest()
    )
    return same and expected is not None


WRONG_DATE_MESSAGE = (
    "The date of birth does not match the one your GP surgery has for you. Check it and try again"
)


def too_many_tries(request) -> bool:
    """One budget of guesses per address, whichever kind of link it guesses at."""
    from django.conf import settings
    from django_ratelimit.core import is_ratelimited

    return is_ratelimited(
        request,
        group="date-of-birth",
        key="ip",
        rate=settings.DATE_OF_BIRTH_RATE_LIMIT,
        increment=True,
    )


def answer(form, link, check) -> DateOfBirthResult:
    """Check a posted date of birth against a link (None for a link that does not exist).

    A wrong date and a missing link get the same message on the form; `check(link, date)`
    does the same work for both and locks the link after too many wrong dates.
    """
    if not form.is_valid():
        return DateOfBirthResult(verified=False)
    result = check(link, form.cleaned_data["date_of_birth"])
    if not result.verified and not result.locked:
        form.add_error("date_of_birth", WRONG_DATE_MESSAGE)
    return result
