"""The inbox's filters: plain GET parameters, so they work without JavaScript."""

from datetime import datetime

from django import forms

from clinical_photos.core.forms import DateInputWidget, DayMonthYearField

from .services import InboxFilter, Show

# How dates came in links made before the day, month and year boxes (the browser's own date
# picker sent the first; people typed the others), read so those links and bookmarks still work.
OLD_LINK_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y"]


class _DateBoxes(DateInputWidget):
    """The day, month and year boxes, which also read a whole date under the field's own name
    (?date_from=2026-03-27) when the boxes are not in the query."""

    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{n}" in data for n in range(3)):
            old = data.get(name, "")
            for format in OLD_LINK_DATE_FORMATS:
                try:
                    day = datetime.strptime(old, format).date()
                except ValueError:
                    continue
                return [str(day.day), str(day.month), str(day.year)]
            # Not a date: shown in the day box, where the field says it is not one.
            return [old[:10], "", ""]
        return super().value_from_datadict(data, files, name)


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
    # The NHS date input (day, month and year boxes), not the browser's date picker, whose
    # format follows the browser's language (mm/dd/yyyy in many) rather than the service's.
    date_from = DayMonthYearField(
        label="From", required=False, widget=_DateBoxes, help_text="For example, 27 3 2026"
    )
    date_to = DayMonthYearField(label="To", required=False, widget=_DateBoxes)

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
