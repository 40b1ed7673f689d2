"""The practice manager's forms. Messages follow GOV.UK's error message style."""

from django import forms

from clinical_photos.core.forms import hidden_characters
from clinical_photos.photo_requests.models import RequestTemplate

from .models import MAX_LINK_LIFETIME_DAYS, MIN_LINK_LIFETIME_DAYS, Practice, Role, User
from .practice_services import find_intimate_word

TEMPLATE_NAME_MAX_LENGTH = RequestTemplate._meta.get_field("name").max_length
PATIENT_MESSAGE_MAX_LENGTH = RequestTemplate._meta.get_field("patient_message").max_length

EMAIL_TAKEN = (
    "This email address is already used by another account. Each person needs their own "
    "email address"
)
TEMPLATE_NAME_TAKEN = "Your practice already has a template with this name. Choose another name"
LINK_LIFETIME_RANGE = (
    f"Enter a number of days from {MIN_LINK_LIFETIME_DAYS} to {MAX_LINK_LIFETIME_DAYS}"
)

ROLE_HINTS = {
    Role.ADMIN: "Can ask for photos with the templates you allow the admin team, and file them",
    Role.CLINICIAN: "Can ask for photos for any reason that is not intimate, and view them",
    Role.PRACTICE_MANAGER: "Can add and disable users, and change templates and settings",
}


def intimate_area_message(label: str, word: str) -> str:
    return (
        f'{label} must not mention intimate areas. Remove "{word}". This service must never '
        "be used to ask for photos of breasts, genitals, the anus or the area around it"
    )


class AddUserForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=User._meta.get_field("full_name").max_length,
        error_messages={
            "required": "Enter the person's full name",
            "max_length": "Full name must be 120 characters or fewer",
            "null_characters_not_allowed": hidden_characters("Full name"),
        },
    )
    email = forms.EmailField(
        label="Email address",
        help_text="They will use this to log in. Use their own work address, not a shared one",
        max_length=254,
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.nhs.uk",
            "max_length": "Email address must be 254 characters or fewer",
            "null_characters_not_allowed": hidden_characters("Email address"),
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        error_messages={
            "required": "Choose the person's role",
            "invalid_choice": "Choose one of the roles listed",
        },
    )
    is_caldicott_guardian = forms.BooleanField(
        label="This person is the practice's Caldicott Guardian",
        help_text="The Caldicott Guardian approves the permanent removal of a photo",
        required=False,
    )

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Enter the person's full name")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        # Addresses are unique across the whole service, not just this practice.
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN, code="duplicate")
        return email


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


class LinkLifetimeForm(forms.Form):
    link_lifetime_days = forms.IntegerField(
        label="How long links last (days)",
        help_text=f"From {MIN_LINK_LIFETIME_DAYS} to {MAX_LINK_LIFETIME_DAYS} days. Patients "
        "cannot send photos after this. Links already sent keep the time they were sent with",
        min_value=MIN_LINK_LIFETIME_DAYS,
        max_value=MAX_LINK_LIFETIME_DAYS,
        error_messages={
            "required": LINK_LIFETIME_RANGE,
            "invalid": LINK_LIFETIME_RANGE,
            "min_value": LINK_LIFETIME_RANGE,
            "max_value": LINK_LIFETIME_RANGE,
        },
    )


class ConfirmForm(forms.Form):
    """Disable and enable carry nothing but their CSRF token."""
