import inspect
from datetime import UTC, datetime

import pytest

from clinical_photos.messaging.text import link_expiry, photo_request_text, redact_link

LINK = "https://photos.example.nhs.uk/p/AbCdEfGhIjKlMnOpQrStUv"  # a 22-character token

# The GSM 03.38 basic character set: anything else makes a text cost twice as much.
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def text_for(practice_name="Riverside Surgery", expires_at=None):
    return photo_request_text(
        practice_name=practice_name,
        link_url=LINK,
        # 3pm on 2 December in London (GMT in winter).
        expires_at=expires_at or datetime(2026, 12, 2, 15, 0, tzinfo=UTC),
    )


def test_the_text_says_who_is_asking_that_it_is_optional_the_link_and_when_it_ends():
    body = text_for()

    assert body.startswith("Riverside Surgery has asked you to send photos")
    assert "Sending photos is your choice." in body
    assert LINK in body
    assert "until 3pm on 2 December" in body
    assert "Do not reply" in body


def test_the_text_holds_nothing_clinical_and_nothing_that_identifies_the_patient():
    body = text_for().lower()

    for word in ("rash", "mole", "wound", "born", "date of birth", "nhs number", "dear"):
        assert word not in body
    # It cannot hold more: a name, date of birth or reason has no way in.
    parameters = inspect.signature(photo_request_text).parameters
    assert set(parameters) == {"practice_name", "link_url", "expires_at", "again"}


@pytest.mark.parametrize("again", [False, True])
def test_the_text_fits_in_two_fragments_with_a_long_practice_name(again):
    body = photo_request_text(
        practice_name="The Old Forge Medical and Wellbeing Ctr",  # 39 characters
        link_url=LINK,
        expires_at=datetime(2026, 12, 2, 15, 0, tzinfo=UTC),
        again=again,
    )

    assert len(body) <= 306
    assert set(body) <= GSM_BASIC


@pytest.mark.parametrize(
    ("expires_at", "reads"),
    [
        (datetime(2026, 12, 2, 10, 15, tzinfo=UTC), "10:15am on 2 December"),
        (datetime(2026, 12, 2, 12, 0, tzinfo=UTC), "midday on 2 December"),
        (datetime(2026, 12, 2, 17, 5, tzinfo=UTC), "5:05pm on 2 December"),
        # Midnight would be ambiguous: say which day ends.
        (datetime(2026, 12, 3, 0, 0, tzinfo=UTC), "the end of 2 December"),
        # London time, not UTC: 23:30 UTC on 1 June is 12:30am on 2 June in summer.
        (datetime(2026, 6, 1, 23, 30, tzinfo=UTC), "12:30am on 2 June"),
    ],
)
def test_the_link_expiry_reads_as_a_patient_would_say_it(expires_at, reads):
    assert link_expiry(expires_at) == reads


def test_redacting_takes_the_link_out_and_keeps_the_words():
    body = text_for()

    redacted = redact_link(body)

    assert "AbCdEfGhIjKlMnOpQrStUv" not in redacted
    assert "until 3pm on 2 December: [link]\n" in redacted
    assert redacted.startswith("Riverside Surgery has asked you")


def test_typographic_punctuation_in_a_practice_name_does_not_double_the_cost():
    body = text_for(practice_name="St John\u2019s Surgery \u2013 Riverside")

    assert body.startswith("St John's Surgery - Riverside has asked you")
    assert set(body) <= GSM_BASIC
