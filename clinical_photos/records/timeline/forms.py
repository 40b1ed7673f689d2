"""Correcting a photo's details, and removing it from the record."""

from django import forms

from clinical_photos.core.forms import hidden_characters
from clinical_photos.photo_requests import body_sites

from . import services


class PhotoDetailsForm(forms.Form):
    body_site = forms.ChoiceField(
        label="Where on the body",
        choices=[("", "Choose a body site")]
        + [(site.code, site.label) for site in body_sites.BODY_SITES],
        error_messages={
            "required": "Choose where on the body the photo shows",
            "invalid_choice": "Choose a body site from the list",
        },
    )
    condition = forms.CharField(
        label="Condition (optional)",
        help_text="For example, eczema or a mole on the left forearm. Photos with the same "
        "condition are shown together.",
        required=False,
        max_length=services.CONDITION_MAX_LENGTH,
        error_messages={
            "max_length": f"The condition must be {services.CONDITION_MAX_LENGTH} characters "
            "or fewer",
            "null_characters_not_allowed": hidden_characters("The condition"),
        },
    )


class RemovalForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why must this photo be removed?",
        choices=services.RemovalReason.CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why the photo must be removed",
            "invalid_choice": "Choose why the photo must be removed",
        },
    )
    detail = forms.CharField(
        label="Say more (needed if you chose another reason)",
        help_text="Do not name the patient. The Caldicott Guardian reads this.",
        required=False,
        max_length=services.REMOVAL_DETAIL_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "max_length": f"The reason must be {services.REMOVAL_DETAIL_MAX_LENGTH} characters "
            "or fewer",
            "null_characters_not_allowed": hidden_characters("The reason"),
        },
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("reason") == services.RemovalReason.OTHER
            and not cleaned.get("detail", "").strip()
        ):
            self.add_error("detail", "Say why the photo must be removed")
        return cleaned
