"""The fields every form shares, drawn with their NHS components, and the error summary the
layout builds from a page's form."""

import re

import pytest
from django import forms
from django.template import engines
from django.test import RequestFactory

from clinical_photos.core.forms import (
    NHS_NUMBER_FORMAT,
    NHS_NUMBER_INVALID,
    DateOfBirthField,
    NHSNumberField,
)
from clinical_photos.core.jinja_helpers import error_summary_items


class PatientDetails(forms.Form):
    nhs_number = NHSNumberField(
        label="NHS number", error_messages={"required": "Enter the patient's NHS number"}
    )
    date_of_birth = DateOfBirthField(label="Date of birth", help_text="For example, 15 3 1984")
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("9434765919", "9434765919"), ("943 476 5919", "9434765919"), ("943-476-5919", "9434765919")],
)
def test_an_nhs_number_is_kept_as_its_ten_digits(typed, kept):
    assert NHSNumberField().clean(typed) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the NHS number"),
        ("943 476 591", NHS_NUMBER_FORMAT),
        ("94347659190000", NHS_NUMBER_FORMAT),
        ("943476591\x00", NHS_NUMBER_FORMAT),
        ("9434765918", NHS_NUMBER_INVALID),  # the check digit is wrong
        # 9434765919 in Arabic-Indic digits: a valid number, but not as the record keeps it.
        ("\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669", NHS_NUMBER_FORMAT),
    ],
)
def test_an_nhs_number_that_cannot_be_one_says_why(typed, message):
    with pytest.raises(forms.ValidationError) as refused:
        NHSNumberField().clean(typed)
    assert refused.value.messages == [message]


def _draw(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_a_date_of_birth_is_drawn_as_the_nhs_date_input_with_its_error():
    form = PatientDetails(
        {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1984"}
    )
    form.is_valid()

    html = _draw('{{ nhs_field(form["date_of_birth"]) }}', form=form)

    assert 'class="nhsuk-date-input"' in html
    assert "<legend" in html and "Date of birth" in html
    assert "For example, 15 3 1984" in html
    # Each box posts under the name the form reads, with an id the error summary links to.
    for index in range(3):
        assert f'name="date_of_birth_{index}"' in html
        assert f'id="id_date_of_birth_{index}"' in html
    assert "Date of birth must be a real date" in html
    assert 'value="31"' in html


def test_an_nhs_number_is_drawn_as_a_short_numeric_input():
    html = _draw('{{ nhs_field(form["nhs_number"]) }}', form=PatientDetails())

    assert 'inputmode="numeric"' in html
    assert 'spellcheck="false"' in html
    assert "nhsuk-input--width-10" in html
    assert "10 digits, like 485 777 3456" in html


def test_a_textarea_is_drawn_as_the_nhs_textarea():
    html = _draw('{{ nhs_field(form["note"], rows=3) }}', form=PatientDetails())

    assert re.search(
        r'<textarea class="nhsuk-textarea[^"]*" id="id_note" name="note" rows="3"', html
    )


def test_the_layout_builds_the_error_summary_from_the_form():
    form = PatientDetails({"nhs_number": "", "date_of_birth_0": "1"})
    form.is_valid()
    request = RequestFactory().get("/")

    html = (
        engines["jinja2"]
        .get_template("core/error.jinja")
        .render({"page_title": "Add a patient", "body": "", "form": form}, request)
    )

    assert "<title>Error: Add a patient" in html
    summary = html[html.index("nhsuk-error-summary__list") :]
    links = [
        (target, " ".join(text.split()))
        for target, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary, re.S)
    ]
    assert links[:2] == [
        ("id_nhs_number", "Enter the patient&#39;s NHS number"),
        ("id_date_of_birth_0", "Date of birth must include a month and a year"),
    ]


def test_a_page_without_errors_has_no_summary():
    request = RequestFactory().get("/")

    html = (
        engines["jinja2"]
        .get_template("core/error.jinja")
        .render({"page_title": "Add a patient", "body": "", "form": PatientDetails()}, request)
    )

    assert "nhsuk-error-summary" not in html
    assert "<title>Add a patient" in html


class RemovalReason(forms.Form):
    reason = forms.ChoiceField(
        label="Why?",
        choices=[("intimate", "It is an intimate image"), ("other", "Another reason")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why"},
    )


def test_the_error_summary_links_to_the_first_of_a_fields_radios():
    form = RemovalReason({})
    form.is_valid()
    [item] = error_summary_items(form)

    html = _draw('{{ nhs_field(form["reason"]) }}', form=form)

    assert item["text"] == "Choose why"
    target = item["href"].removeprefix("#")
    # The first radio carries the id the summary links to, so the link takes the user there.
    assert re.search(rf'<input class="nhsuk-radios__input" id="{target}" name="reason"', html)
