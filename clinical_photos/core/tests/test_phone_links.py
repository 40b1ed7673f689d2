"""Phone numbers on pages are links a phone can call: tel: with the number in full."""

import pytest
from django.template import engines


def draw(number) -> str:
    return engines["jinja2"].from_string("{{ number | phone_link }}").render({"number": number})


@pytest.mark.parametrize(
    ("number", "link"),
    [
        ("+447700900123", '<a href="tel:+447700900123">07700 900123</a>'),
        ("0161 496 0000", '<a href="tel:+441614960000">0161 496 0000</a>'),
        ("(0161) 4960000", '<a href="tel:+441614960000">0161 496 0000</a>'),
    ],
)
def test_a_number_is_a_link_that_calls_it(number, link):
    assert draw(number) == link


@pytest.mark.parametrize("words", ["Ask at reception", "<b>0161</b>", "999999999999999999999"])
def test_words_that_are_not_a_number_are_shown_as_they_are(words):
    assert "<a" not in draw(words)
    assert "<b>" not in draw(words)


def test_no_number_draws_nothing():
    assert draw("") == ""
