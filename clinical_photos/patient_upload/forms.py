from dataclasses import dataclass

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


@dataclass(frozen=True)
class Slot:
    """One photo's place on the form as posted: the file chosen in it (or None), what the
    patient said it shows, and what is wrong with it ("" when nothing is)."""

    upload: object
    label: str
    problem: str = ""


class ChoosePhotosForm(forms.Form):
    """Up to 5 plain file inputs, each with its label, and a note: works without JavaScript.

    Each slot stands on its own: a good photo is kept whatever is wrong elsewhere on the form
    (`slots`), and the form drawn again (`again`) holds only what the patient still has to put
    right, each problem beside its own slot.
    """

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

        # The error summary lists the slots first, as the page shows them.
        self.order_fields([name for name in self.fields if name != "note"])

    def slots(self) -> list[Slot]:
        """Each slot a file was chosen in, or that has something wrong with it, in order."""
        self.is_valid()
        used = []
        for number in range(1, self.free_slots + 1):
            upload = self.cleaned_data.get(f"photo_{number}")
            errors = [
                *self.errors.get(f"photo_{number}", []),
                *self.errors.get(f"label_{number}", []),
            ]
            if upload or errors:
                label = self.data.get(f"label_{number}", "")
                used.append(Slot(upload or None, label, errors[0] if errors else ""))
        return used

    @classmethod
    def again(cls, posted: "ChoosePhotosForm", *, free_slots: int, to_choose=()):
        """The form to show after a post: the note as posted (refused again in the same words,
        if it was), and the first slots given to `to_choose`, the slots whose photo must be
        chosen again, each with its label and its problem. Slots beyond the free ones are
        left out; the caller says what they were about."""
        data = {"note": posted.data.get("note", "")}
        to_choose = list(to_choose)[:free_slots]
        for number, slot in enumerate(to_choose, start=1):
            data[f"label_{number}"] = slot.label
        form = cls(data, free_slots=free_slots)
        form.is_valid()
        for number, slot in enumerate(to_choose, start=1):
            if slot.problem and f"label_{number}" not in form.errors:
                form.add_error(f"photo_{number}", slot.problem)
        return form


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
        label="I agree to the surgery keeping these photos as part of my care record",
        error_messages={
            "required": "Tick the box to agree to the surgery keeping your photos as part of "
            "your care record, or choose not to send photos"
        },
    )
