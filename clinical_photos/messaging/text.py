"""The text messages the service sends, in one place.

GOV.UK Notify's template is only "((message))" (see backends.py), so these words are the whole
text the patient reads. They say who is sending it, what the link is for (and, when it asks for
photos, that sending them is the patient's choice), the link and how long it works. Nothing
clinical, and no name or date of birth: a phone can be shared, lost or read over someone's
shoulder.

Only characters from the GSM 03.38 alphabet are used (no curly quotes or dashes): one character
outside it turns the whole text into UCS-2 and halves what fits in each fragment. The text fits
in 2 fragments (306 characters) for a practice name of up to 40 characters.
"""

import re
from datetime import datetime, timedelta

from django.utils import timezone

# Anything that looks like a web address. A link is the only one the text ever holds.
LINK_PATTERN = re.compile(r"https?://\S+")
REDACTED_LINK = "[link]"
# Typographic punctuation a practice name may carry, and its GSM equivalent.
_GSM_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


def photo_request_text(
    *, practice_name: str, link_url: str, expires_at: datetime, again: bool = False
) -> str:
    """The text that asks a patient for photos; `again` for a follow-up, so the patient
    knows why the same surgery asks a second time."""
    practice = practice_name.strip().translate(_GSM_PUNCTUATION)
    asked = (
        "has asked you to send new photos of a health problem, to see how it has changed"
        if again
        else "has asked you to send photos of a health problem"
    )
    return (
        f"{practice} {asked}. "
        "Sending photos is your choice. "
        f"Use this link until {link_expiry(expires_at)}: {link_url}\n"
        "Do not reply to this message."
    )


def patient_view_text(*, practice_name: str, link_url: str, expires_at: datetime) -> str:
    """The text with a link for the patient to see their own photos in their record."""
    practice = practice_name.strip().translate(_GSM_PUNCTUATION)
    return (
        f"{practice} has sent you a link to see your photos that it keeps in your care record. "
        f"Use this link until {link_expiry(expires_at)}: {link_url}\n"
        "Do not reply to this message."
    )


def link_expiry(expires_at: datetime) -> str:
    """When the link stops working, as a patient reads it: "3pm on 2 December".

    The time matters: a link that stops at 10am on 2 December must not be read as lasting
    all day. Links last at most 14 days, so the month makes the year plain.
    """
    local = timezone.localtime(expires_at)
    if (local.hour, local.minute) == (0, 0):
        # "Midnight on 2 December" could mean either end of the day.
        day_before = local - timedelta(days=1)
        return f"the end of {day_before.day} {day_before:%B}"
    return f"{_time_of_day(local)} on {local.day} {local:%B}"


def _time_of_day(local: datetime) -> str:
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def redact_link(body: str) -> str:
    """The text with its link replaced by "[link]", to keep once the text has gone."""
    return LINK_PATTERN.sub(REDACTED_LINK, body)
