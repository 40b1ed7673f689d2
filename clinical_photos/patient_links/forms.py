from django import forms

from clinical_photos.core.forms import DateOfBirthField


class DateOfBirthForm(forms.Form):
    """The one question every link asks before it shows anything."""

    date_of_birth = DateOfBirthField(
        label="What is your date of birth?",
        help_text="For example, 15 3 1984",
        error_messages={"required": "Enter your date of birth"},
    )
