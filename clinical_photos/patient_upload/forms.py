from django import forms

from clinical_photos.core.forms import hidden_characters
from clinical_photos.photos.models import Label

from .services import NOTE_MAX_LENGTH

CHOOSE_A_LABEL = "Choose what the photo shows: where the problem is, or a close-up"


class DeclineForm(forms.Form):
    # Only for a follow-up request: the patient's way to stop the rest of the series.
    stop_follow_ups = forms.BooleanField(
        label="I no longer need to send these photos. Stop asking me for them",
        help_text="The surgery has asked for these photos more than once. If you tick this, "
        "they will not send you any more texts about them.",
        required=False,
    )
    reason = forms.CharField(
        label="Tell the surgery why (optional)",
        help_text="For example, you would rather show them in person. You do not have to say.",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Your reason must be {NOTE_MAX_LENGTH} characters or fewer",
            "null_characters_not_allowed": hidden_characters("Your reason"),
        },
    )

    def __init__(self, *args, follow_up: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not follow_up:
            del self.fields["stop_follow_ups"]


class ChoosePhotosForm(forms.Form):
    """Up to 5 plain file inputs, each with its label, and a note: works without JavaScript."""

    note = forms.CharField(
        label="Anything you want to tell the surgery (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Your note must be {NOTE_MAX_LENGTH} characters or fewer",
            "null_characters_not_allowed": hidden_characters("Your note"),
        },
    )

    def __init__(self, *args, free_slots: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.free_slots = free_slots
        for number in range(1, free_slots + 1):
            self.fields[f"photo_{number}"] = forms.FileField(
                label=f"Photo {number}", required=False, allow_empty_file=True
            )
            self.fields[f"label_{number}"] = forms.ChoiceField(
                label=f"What photo {number} shows",
                choices=Label.choices,
                required=False,
                error_messages={"invalid_choice": CHOOSE_A_LABEL},
            )

    def uploads(self) -> list[tuple[object, str]]:
        """The files chosen, each with its label, in the order of the inputs."""
        chosen = []
        for number in range(1, self.free_slots + 1):
            upload = self.cleaned_data.get(f"photo_{number}")
            if upload:
                chosen.append((upload, self.cleaned_data.get(f"label_{number}") or ""))
        return chosen


class OnePhotoForm(forms.Form):
    """The fields the choose-photos page's script sends with each photo, besides the photo.

    None of them is needed: a label, a place in the list or a photo to replace that makes no
    sense is left out (the photo is a close-up, goes last, replaces nothing), so the patient's
    photo is kept whatever the script sent beside it.
    """

    label = forms.ChoiceField(choices=Label.choices, required=False)
    position = forms.IntegerField(min_value=1, max_value=999, required=False)
    replaces = forms.UUIDField(required=False)

    def value(self, name: str):
        """The field's value, or None when it was left out or made no sense."""
        if not self.is_bound or name in self.errors:
            return None
        return self.cleaned_data.get(name)


class SendForm(forms.Form):
    agree = forms.BooleanField(
        label="I agree to these photos being stored in my GP medical record",
        error_messages={
            "required": "Tick the box to agree to your photos being stored in your medical "
            "record, or choose not to send photos"
        },
    )
