"""The practice manager's forms. Messages follow GOV.UK's error message style."""

from django import forms

from clinical_photos.core.forms import hidden_characters

from ..models import (
    MAX_LINK_LIFETIME_DAYS,
    MAX_REVIEW_WITHIN_DAYS,
    MIN_LINK_LIFETIME_DAYS,
    MIN_REVIEW_WITHIN_DAYS,
    Role,
    User,
)

EMAIL_TAKEN = (
    "This email address is already used by another account. Each person needs their own "
    "email address"
)
LINK_LIFETIME_RANGE = (
    f"Enter a number of days from {MIN_LINK_LIFETIME_DAYS} to {MAX_LINK_LIFETIME_DAYS}"
)

ROLE_HINTS = {
    Role.ADMIN: "Can ask for photos with the templates you allow the admin team, and file them",
    Role.CLINICIAN: "Can ask for photos for any reason that is not intimate, and view them",
    Role.PRACTICE_MANAGER: "Can add and disable users, and change templates and settings",
}


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


REVIEW_WITHIN_RANGE = (
    f"Enter a number of working days from {MIN_REVIEW_WITHIN_DAYS} to {MAX_REVIEW_WITHIN_DAYS}"
)


class ReviewTimeForm(forms.Form):
    review_within_days = forms.IntegerField(
        label="Review photos within (working days)",
        help_text=f"From {MIN_REVIEW_WITHIN_DAYS} to {MAX_REVIEW_WITHIN_DAYS}. Bank holidays "
        "and weekends do not count",
        min_value=MIN_REVIEW_WITHIN_DAYS,
        max_value=MAX_REVIEW_WITHIN_DAYS,
        error_messages={
            "required": REVIEW_WITHIN_RANGE,
            "invalid": REVIEW_WITHIN_RANGE,
            "min_value": REVIEW_WITHIN_RANGE,
            "max_value": REVIEW_WITHIN_RANGE,
        },
    )
