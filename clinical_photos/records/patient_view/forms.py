"""The clinician's choice of which photos a patient is sent a link to see."""

from django import forms


class SendViewLinkForm(forms.Form):
    body_site = forms.ChoiceField(
        label="Which photos should the patient see?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose which photos the patient should see",
            "invalid_choice": "Choose which photos the patient should see",
        },
    )

    def __init__(self, *args, site_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body_site"].choices = [
            (choice.site.code, choice.site.label) for choice in site_choices
        ]
