"""The practice inbox. Filters are plain GET parameters, so they work without JavaScript."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinical_photos.core.jinja_helpers import error_summary_items

from . import filing_services, inbox_services, presenters
from .inbox_services import InboxFilter, Show

PAGE_SIZE = 25
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


def _page_href(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@require_GET
def inbox(request):
    form = InboxFilterForm(request.GET)
    inbox_filter = form.inbox_filter(request.user)
    requests = inbox_services.inbox_requests(request.user.practice, inbox_filter)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = presenters.inbox_rows(
        page.object_list, photo_problems=inbox_services.photo_problems(page.object_list)
    )
    inbox_services.record_inbox_viewed(
        by=request.user, inbox_filter=inbox_filter, page=page.number, shown=len(rows)
    )
    filtered = inbox_filter != InboxFilter()
    return render(
        request,
        "records/inbox.jinja",
        {
            "page_title": "Inbox",
            "column_width": "full",
            "form": form,
            "error_summary": error_summary_items(form) if form.errors else None,
            "rows": rows,
            "page": page,
            "previous_href": _page_href(request, page.previous_page_number())
            if page.has_previous()
            else None,
            "next_href": _page_href(request, page.next_page_number()) if page.has_next() else None,
            "filtered": filtered,
            "show_items": [
                {"value": value, "text": text, "checked": value == inbox_filter.show}
                for value, text in form.fields["show"].choices
            ],
            "may_file": filing_services.may_file(request.user),
        },
    )
