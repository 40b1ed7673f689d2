"""Form fields the design system draws in its own way, each knowing its NHS component.

A field's `nhs_component` names the nhsuk-frontend macro that draws it; jinja_helpers.nhs_field
draws any bound field with its component, label, hint, value and error, so a template does not
repeat a component's block for each form. Fields without one are drawn by their widget's usual
component (a text input, a textarea, radios, checkboxes or a select).
"""

from datetime import date

from django import forms
from django.utils import timezone
from nhs_number import is_valid, standardise_format


def hidden_characters(name: str) -> str:
    """Django's "Null characters are not allowed." in GOV.UK's words, naming the field.

    Nobody types a NUL: it comes with text pasted from something that is not text, or from a
    program. The database is never asked to keep one (PostgreSQL refuses it with an error).
    """
    return f"{name} must not include hidden characters. Type it in rather than pasting it"


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes, as the NHS date input draws them."""

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


NOT_A_REAL_DATE = "Date of birth must be a real date"


class DateOfBirthField(forms.MultiValueField):
    """A date of birth typed as day, month and year, with GOV.UK-style messages."""

    widget = DateInputWidget
    nhs_component = "dateInput"

    def __init__(self, **kwargs):
        # Each part is optional on its own so that compress() can say which one is missing.
        # A part too long or with a NUL in it stops here, before compress(), so it gets a
        # message of its own rather than Django's.
        not_a_date = {
            "max_length": NOT_A_REAL_DATE,
            "null_characters_not_allowed": NOT_A_REAL_DATE,
        }
        fields = [
            forms.CharField(required=False, max_length=10, error_messages=not_a_date)
            for _ in range(3)
        ]
        kwargs.setdefault("error_messages", {"required": "Enter a date of birth"})
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            raise forms.ValidationError(self.error_messages["required"], code="required")
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise forms.ValidationError(
                f"Date of birth must include a {' and a '.join(missing)}", code="incomplete"
            )
        if (
            not (day.isdigit() and month.isdigit() and year.isdigit())
            or max(len(day), len(month)) > 2
        ):
            raise forms.ValidationError(NOT_A_REAL_DATE, code="invalid")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers, like 1984", code="invalid")
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(NOT_A_REAL_DATE, code="invalid") from None
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError("Date of birth must be in the past", code="future")
        if value.year < today.year - 130:
            raise forms.ValidationError(
                f"Date of birth must be after {today.year - 130}", code="too_old"
            )
        return value


class DayMonthYearField(forms.MultiValueField):
    """Any date typed as day, month and year in the NHS date input; messages name the field
    by its label ("From must include a month"). The form checks the range it allows."""

    widget = DateInputWidget
    nhs_component = "dateInput"

    def __init__(self, **kwargs):
        name = kwargs.get("label", "The date")
        not_a_date = f"{name} must be a real date"
        parts = {"max_length": not_a_date, "null_characters_not_allowed": not_a_date}
        fields = [
            forms.CharField(required=False, max_length=10, error_messages=parts) for _ in range(3)
        ]
        kwargs.setdefault("error_messages", {"required": f"Enter {name.lower()}"})
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        self.name, self.not_a_date = name, not_a_date

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        typed = [part for part in (day, month, year) if part]
        if not all(part.isascii() and part.isdigit() for part in typed):
            raise forms.ValidationError(self.not_a_date, code="invalid")
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise forms.ValidationError(
                f"{self.name} must include a {' and a '.join(missing)}", code="incomplete"
            )
        if len(year) != 4:
            raise forms.ValidationError(
                f"{self.name} must have a 4-number year, like {timezone.localdate().year}",
                code="invalid",
            )
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self.name} must be a real date", code="invalid"
            ) from None


class ConfirmForm(forms.Form):
    """A confirmation page's form (cancel a request, disable a user): only its CSRF token."""


NHS_NUMBER_FORMAT = "NHS number must be 10 digits, like 485 777 3456"
NHS_NUMBER_INVALID = "This is not a valid NHS number. Check each digit and try again"


class NHSNumberField(forms.CharField):
    """An NHS number as people type it (spaces or dashes in groups of 3, 3 and 4), cleaned to
    its 10 digits, and checked with the modulus 11 check digit (the `nhs-number` package)."""

    nhs_component = "input"
    default_error_messages = {
        "required": "Enter the NHS number",
        "format": NHS_NUMBER_FORMAT,
        "invalid": NHS_NUMBER_INVALID,
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 14)
        kwargs.setdefault("help_text", "10 digits, like 485 777 3456")
        super().__init__(**kwargs)
        # Too long, or with a NUL pasted in, is the same mistake: not 10 digits.
        self.error_messages["max_length"] = self.error_messages["format"]
        self.error_messages["null_characters_not_allowed"] = self.error_messages["format"]
        # Typed like a number, but not a number to count with: no spinner, no spellcheck.
        self.widget.attrs.update(
            {"inputmode": "numeric", "spellcheck": "false", "class": "nhsuk-input--width-10"}
        )

    def to_python(self, value) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        # nhs-number reads any Unicode digit ("٩٤٣..."), which would be kept as typed and so
        # never match the same patient's number in 0 to 9: only those digits are taken.
        if not value.isascii():
            raise forms.ValidationError(self.error_messages["format"], code="format")
        digits = standardise_format(value)
        if not digits:
            raise forms.ValidationError(self.error_messages["format"], code="format")
        if not is_valid(digits):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return digits
