from django import forms

from clinical_photos.accounts.models import User
from clinical_photos.accounts.permissions import Permission
from clinical_photos.core.forms import hidden_characters

from . import body_sites
from .models import NOTE_MAX_LENGTH, RequestTemplate


class PhotoRequestForm(forms.Form):
    template = forms.ChoiceField(
        label="What are the photos for?",
        error_messages={
            "required": "Choose what the photos are for",
            "invalid_choice": "Choose one of the kinds of request your role may use",
        },
    )
    body_sites = forms.MultipleChoiceField(
        label="Where on the body?",
        choices=[(site.code, site.label) for site in body_sites.BODY_SITES],
        error_messages={
            "required": "Choose where on the body the patient should photograph",
            "invalid_choice": "Choose places on the body from the list",
        },
    )
    note_to_patient = forms.CharField(
        label="Note to the patient (optional)",
        help_text="The patient reads this after opening the link. Do not include anything "
        "you would not put in a letter.",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Note to the patient must be {NOTE_MAX_LENGTH} characters or fewer",
            "null_characters_not_allowed": hidden_characters("Note to the patient"),
        },
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.templates = {str(t.id): t for t in usable_templates(user)}
        self.fields["template"].choices = [(key, t.name) for key, t in self.templates.items()]

    def clean_template(self) -> RequestTemplate:
        return self.templates[self.cleaned_data["template"]]

    def clean_note_to_patient(self) -> str:
        note = self.cleaned_data["note_to_patient"].strip()
        if self.data.get("note_to_patient") and not note:
            raise forms.ValidationError(
                "Note to the patient cannot be only spaces. Write a note or leave it empty"
            )
        return note


def usable_templates(user: User):
    """Clinicians may use every active template; the admin team only those allowed them."""
    templates = user.practice.request_templates.filter(is_active=True)
    if user.may(Permission.REQUEST_PHOTOS_FOR_ANY_REASON):
        return templates
    if user.may(Permission.REQUEST_PHOTOS):
        return templates.filter(admins_may_use=True)
    return templates.none()
