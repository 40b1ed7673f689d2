"""Filing into another patient's record: whose record, and why."""

from django import forms

from clinical_photos.core.forms import NHSNumberField, hidden_characters

from . import services as filing_services


class AnotherPatientForm(forms.Form):
    nhs_number = NHSNumberField(
        label="NHS number of the patient the photos are of",
        help_text="10 digits, like 485 777 3456. The patient must be registered at your practice.",
        error_messages={"required": "Enter the NHS number of the patient the photos are of"},
    )
    reason = forms.CharField(
        label="Why do the photos belong to this patient?",
        max_length=filing_services.REASON_MAX_LENGTH,
        widget=forms.Textarea,
        help_text="For example, the request went to the wrong patient. This is kept with the "
        "record of who filed the photos.",
        error_messages={
            "required": "Enter why the photos belong to this patient",
            "max_length": (
                f"Reason must be {filing_services.REASON_MAX_LENGTH} characters or fewer"
            ),
            "null_characters_not_allowed": hidden_characters("Reason"),
        },
    )
    # Set by the confirmation page: the person has seen whose record it is.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, practice, requested_patient, **kwargs):
        self.practice = practice
        self.requested_patient = requested_patient
        self.patient = None
        super().__init__(*args, **kwargs)

    def clean_nhs_number(self) -> str:
        digits = self.cleaned_data["nhs_number"]
        patient = filing_services.find_other_patient(self.practice, digits)
        if patient is None:
            raise forms.ValidationError(filing_services.UnknownPatient.message)
        if patient.pk == self.requested_patient.pk:
            raise forms.ValidationError(filing_services.SamePatient.message)
        self.patient = patient
        return digits

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why the photos belong to this patient")
        return reason
