import re

import phonenumbers
from django import forms
from django.conf import settings

from clinical_photos.core.forms import DateOfBirthField, NHSNumberField, hidden_characters

# Ofcom keeps 07700 900000 to 07700 900999 for drama; the demo's made-up patients and the
# tests use them. phonenumbers calls them invalid, as no phone has one, so they are accepted
# only where settings allow (the demo and the tests), never in production.
OFCOM_DRAMA_MOBILE = re.compile(r"\+447700900\d{3}")
UK_MOBILE_FORMAT = "Enter a UK mobile phone number, like 07700 900 982"


def normalise_uk_mobile(value: str) -> str:
    """A UK mobile number in E.164 (+447700900123), or a ValidationError that says why not."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        raise forms.ValidationError(UK_MOBILE_FORMAT, code="invalid") from None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if settings.ACCEPT_FICTIONAL_PHONE_NUMBERS and OFCOM_DRAMA_MOBILE.fullmatch(e164):
        return e164
    if number.country_code != 44 or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(UK_MOBILE_FORMAT, code="invalid")
    kind = phonenumbers.number_type(number)
    if kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise forms.ValidationError(
            "This is not a mobile number, so it cannot get a text message. "
            "Enter a mobile number, like 07700 900 982",
            code="not_mobile",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PatientForm(forms.Form):
    nhs_number = NHSNumberField(
        label="NHS number", error_messages={"required": "Enter the patient's NHS number"}
    )
    given_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={
            "required": "Enter the patient's first name",
            "max_length": "First name must be 100 characters or fewer",
            "null_characters_not_allowed": hidden_characters("First name"),
        },
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={
            "required": "Enter the patient's last name",
            "max_length": "Last name must be 100 characters or fewer",
            "null_characters_not_allowed": hidden_characters("Last name"),
        },
    )
    date_of_birth = DateOfBirthField(label="Date of birth", help_text="For example, 15 3 1984")
    mobile = forms.CharField(
        label="Mobile phone number",
        max_length=20,
        help_text="The patient will get the link to send photos on this number",
        error_messages={
            "required": "Enter the patient's mobile phone number",
            "max_length": UK_MOBILE_FORMAT,
            "null_characters_not_allowed": UK_MOBILE_FORMAT,
        },
    )

    def __init__(self, *args, practice, **kwargs):
        self.practice = practice
        super().__init__(*args, **kwargs)

    def clean_nhs_number(self) -> str:
        digits = self.cleaned_data["nhs_number"]
        existing = self.practice.patients.filter(nhs_number=digits).first()
        if existing is not None:
            self.existing_patient = existing
            raise forms.ValidationError(
                "A patient with this NHS number is already registered at your practice",
                code="duplicate",
            )
        return digits

    def clean_mobile(self) -> str:
        return normalise_uk_mobile(self.cleaned_data["mobile"])

    def clean_given_name(self) -> str:
        return self.cleaned_data["given_name"].strip()

    def clean_family_name(self) -> str:
        return self.cleaned_data["family_name"].strip()


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label="NHS number or name",
        max_length=100,
        required=False,
        error_messages={
            "max_length": "Search for 100 characters or fewer",
            "null_characters_not_allowed": hidden_characters("Your search"),
        },
    )
