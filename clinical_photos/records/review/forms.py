"""The outcome of a review, and who a review goes to."""

from django import forms

from clinical_photos.core.forms import hidden_characters
from clinical_photos.photo_requests.follow_ups.forms import ScheduleFields
from clinical_photos.photo_requests.models import NOTE_MAX_LENGTH

from . import services
from .models import Outcome

# What each outcome goes on to do, under its choice.
OUTCOME_HINTS = {
    Outcome.CONTACT_PATIENT: "Recorded for the practice. Contact the patient as you usually do.",
    Outcome.FOLLOW_UP: "The patient gets a text on each date asking for photos of the same place.",
    Outcome.BETTER_PHOTOS: "The patient gets a text now, with your words about what to change.",
    Outcome.SEEN_URGENTLY: "Recorded for the practice. Arrange the appointment as you usually do.",
}


class OutcomeForm(ScheduleFields):
    schedule_required = False

    outcome = forms.ChoiceField(
        label="What happens next?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what happens next",
            "invalid_choice": "Choose what happens next",
        },
    )
    better_photos_reason = forms.CharField(
        label="What should the patient do differently?",
        help_text="The patient reads this in the text's link, for example: hold the phone "
        "further away, in daylight",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"What the patient should do must be {NOTE_MAX_LENGTH} characters "
            "or fewer",
            "null_characters_not_allowed": hidden_characters("What the patient should do"),
        },
    )
    note = forms.CharField(
        label="Note for colleagues (optional)",
        help_text="Kept with the review in the record. The patient does not see it",
        required=False,
        max_length=services.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"The note must be {services.NOTE_MAX_LENGTH} characters or fewer",
            "null_characters_not_allowed": hidden_characters("The note"),
        },
    )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == Outcome.FOLLOW_UP:
            self.clean_schedule()
        if outcome == Outcome.BETTER_PHOTOS and not cleaned.get("better_photos_reason", "x"):
            self.add_error("better_photos_reason", "Enter what the patient should do differently")
        return cleaned

    def follow_up_plan(self) -> services.FollowUpPlan | None:
        data = self.cleaned_data
        if data["outcome"] != Outcome.FOLLOW_UP:
            return None
        return services.FollowUpPlan(every=data["every"], unit=data["unit"], times=data["times"])


QUEUE = ""


class AssignForm(forms.Form):
    to = forms.ChoiceField(
        label="Who should review these photos?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose who should review these photos",
            "invalid_choice": "Choose someone from the list",
        },
    )

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinicians = {str(u.id): u for u in services.reviewers(practice)}
        self.fields["to"].choices = [
            (user_id, user.full_name) for user_id, user in self.clinicians.items()
        ] + [("queue", "The practice's queue, for any clinician to take")]

    def chosen(self):
        value = self.cleaned_data["to"]
        return None if value == "queue" else self.clinicians[value]
