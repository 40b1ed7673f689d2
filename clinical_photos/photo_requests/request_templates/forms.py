"""The practice manager's form for a request template. Messages follow GOV.UK's style."""

from django import forms

from clinical_photos.accounts.models import Practice
from clinical_photos.core.forms import hidden_characters

from ..models import RequestTemplate
from .services import find_intimate_word

TEMPLATE_NAME_MAX_LENGTH = RequestTemplate._meta.get_field("name").max_length
PATIENT_MESSAGE_MAX_LENGTH = RequestTemplate._meta.get_field("patient_message").max_length
TEMPLATE_NAME_TAKEN = "Your practice already has a template with this name. Choose another name"


def intimate_area_message(label: str, word: str) -> str:
    return (
        f'{label} must not mention intimate areas. Remove "{word}". This service must never '
        "be used to ask for photos of breasts, genitals, the anus or the area around it"
    )


class TemplateForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=TEMPLATE_NAME_MAX_LENGTH,
        help_text='Staff choose templates by this name, for example "Rash" or "Mole"',
        error_messages={
            "required": "Enter a name for the template",
            "max_length": f"Name must be {TEMPLATE_NAME_MAX_LENGTH} characters or fewer",
            "null_characters_not_allowed": hidden_characters("Name"),
        },
    )
    patient_message = forms.CharField(
        label="What the patient reads",
        max_length=PATIENT_MESSAGE_MAX_LENGTH,
        help_text="Say what the photos are for, in plain English. The patient reads this after "
        "opening the link, before the advice on taking good photos",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter what the patient reads",
            "max_length": f"What the patient reads must be {PATIENT_MESSAGE_MAX_LENGTH} "
            "characters or fewer",
            "null_characters_not_allowed": hidden_characters("What the patient reads"),
        },
    )
    admins_may_use = forms.BooleanField(
        label="The admin team may use this template",
        help_text="Clinicians may always use it. Only allow the admin team for problems they can "
        "ask about without a clinician, such as skin conditions",
        required=False,
    )
    is_active = forms.BooleanField(
        label="Active",
        help_text="Staff can only choose active templates. Requests already sent are not changed",
        required=False,
    )

    def __init__(
        self, *args, practice: Practice, template: RequestTemplate | None = None, **kwargs
    ):
        self.practice = practice
        self.template = template
        if template is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": template.name,
                    "patient_message": template.patient_message,
                    "admins_may_use": template.admins_may_use,
                    "is_active": template.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        if template is None:
            # A new template starts active; there is nothing to switch off yet.
            del self.fields["is_active"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter a name for the template")
        others = self.practice.request_templates.filter(name__iexact=name)
        if self.template is not None:
            others = others.exclude(pk=self.template.pk)
        if others.exists():
            raise forms.ValidationError(TEMPLATE_NAME_TAKEN, code="duplicate")
        return name

    def clean_patient_message(self) -> str:
        message = self.cleaned_data["patient_message"].strip()
        if not message:
            raise forms.ValidationError("Enter what the patient reads")
        return message

    def clean(self):
        cleaned = super().clean()
        stays_active = cleaned.get("is_active", True) if self.template is not None else True
        for name, label in (("name", "Name"), ("patient_message", "What the patient reads")):
            text = cleaned.get(name)
            if text is None:
                continue
            unchanged = self.template is not None and getattr(self.template, name) == text
            # A template that already names an intimate area may still be switched off as it is.
            if not stays_active and unchanged:
                continue
            word = find_intimate_word(text)
            if word:
                self.add_error(name, intimate_area_message(label, word))
        return cleaned
