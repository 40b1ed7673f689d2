"""How often, and how many times, to ask a patient for follow-up photos."""

from django import forms

from ..models import MAX_FOLLOW_UPS, FollowUpSeries
from . import services

HOW_OFTEN = "Enter how often to ask, as a whole number, like 2"
HOW_MANY = f"Enter how many times to ask, from 1 to {MAX_FOLLOW_UPS}"


class ScheduleFields(forms.Form):
    """The schedule's three fields; `schedule_required` says whether they must be filled in
    (a review's outcome form asks for them only for a follow-up)."""

    schedule_required = True

    every = forms.IntegerField(
        label="Ask every",
        required=False,
        min_value=1,
        # The most it may be depends on days or weeks: clean_schedule says so.
        error_messages={"invalid": HOW_OFTEN, "min_value": HOW_OFTEN},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
    )
    unit = forms.ChoiceField(
        label="Days or weeks",
        required=False,
        choices=FollowUpSeries.Unit.choices,
        initial=FollowUpSeries.Unit.WEEKS,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose days or weeks"},
    )
    times = forms.IntegerField(
        label="How many times",
        help_text="Each time, the patient gets a text with a new link",
        required=False,
        min_value=1,
        max_value=MAX_FOLLOW_UPS,
        error_messages={"invalid": HOW_MANY, "min_value": HOW_MANY, "max_value": HOW_MANY},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
    )

    def clean_schedule(self) -> None:
        """Call from clean() when the schedule is wanted."""
        data = self.cleaned_data
        if "every" in data and data.get("every") is None:
            self.add_error("every", HOW_OFTEN)
        if "unit" in data and not data.get("unit"):
            self.add_error("unit", "Choose days or weeks")
        if "times" in data and data.get("times") is None:
            self.add_error("times", HOW_MANY)
        every, unit = data.get("every"), data.get("unit")
        if every and unit and every > services.MAX_EVERY[unit]:
            self.add_error("every", f"Enter how often, from 1 to {services.MAX_EVERY[unit]} {unit}")

    def clean(self):
        cleaned = super().clean()
        if self.schedule_required:
            self.clean_schedule()
        return cleaned


class FollowUpForm(ScheduleFields):
    """Asking for follow-up photos from a request's page."""
