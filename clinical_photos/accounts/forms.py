from django import forms
from django.contrib.auth import password_validation

from clinical_photos.core.forms import hidden_characters


class LoginForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.nhs.uk",
            "max_length": "Email address must be 254 characters or fewer",
            "null_characters_not_allowed": hidden_characters("Email address"),
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=200,
        widget=forms.PasswordInput,
        error_messages={
            "required": "Enter your password",
            "max_length": "Password must be 200 characters or fewer",
            "null_characters_not_allowed": hidden_characters("Password"),
        },
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Security code",
        regex=r"^\s*\d{6}\s*$",
        help_text="The 6-digit code your authenticator app shows now",
        error_messages={
            "required": "Enter the 6-digit security code",
            "invalid": "Enter the security code as 6 digits, like 123456",
            "null_characters_not_allowed": "Enter the security code as 6 digits, like 123456",
        },
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class NewPasswordForm(forms.Form):
    """Replaces the one-time password a practice manager gave a new user."""

    new_password = forms.CharField(
        label="New password",
        strip=False,
        max_length=200,
        widget=forms.PasswordInput,
        help_text="At least 12 characters. Three or four unrelated words work well.",
        error_messages={
            "required": "Enter a new password",
            "max_length": "Password must be 200 characters or fewer",
            "null_characters_not_allowed": hidden_characters("Password"),
        },
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password(self) -> str:
        password = self.cleaned_data["new_password"]
        if self.user.check_password(password):
            raise forms.ValidationError("Choose a password that is not your one-time password")
        password_validation.validate_password(password, self.user)
        return password
