"""The inbox's filters: plain GET parameters, so they work without JavaScript."""

from django import forms

from .services import InboxFilter, Show

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y"]


class InboxFilterForm(forms.Form):
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            (Show.ALL.value, "Everything"),
            (Show.UNFILED.value, "Photos not filed yet"),
            (Show.DECLINED.value, "Patients who chose not to send photos"),
            (Show.ATTENTION.value, "Requests that need attention"),
        ],
        error_messages={"invalid_choice": "Choose what to show"},
    )
    mine = forms.BooleanField(label="Only requests I made", required=False)
    date_from = forms.DateField(
        label="From",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "From must be a real date, like 27/3/2026"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "To must be a real date, like 27/3/2026"},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        for name, value in (("date_from", start), ("date_to", end)):
            if value is not None and not 2000 <= value.year <= 2100:
                self.add_error(name, "Enter a date between 2000 and 2100")
                cleaned[name] = None
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "To must be the same as or after From")
        return cleaned

    def inbox_filter(self, user) -> InboxFilter:
        """The filter from whatever was valid; a bad part is left out (and its error shown)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return InboxFilter(
            show=Show(data.get("show") or Show.ALL),
            requested_by=user if data.get("mine") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to") if "date_to" not in self.errors else None,
        )
