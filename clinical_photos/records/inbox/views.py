"""The practice inbox. Filters are plain GET parameters, so they work without JavaScript."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinical_photos.accounts.permissions import Permission, permission_required

from . import presenters
from . import services as inbox_services
from .forms import InboxFilterForm
from .services import InboxFilter

PAGE_SIZE = 25


def _page_href(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@permission_required(Permission.SEE_INBOX)
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
        "records/inbox/inbox.jinja",
        {
            "page_title": "Inbox",
            "column_width": "full",
            "form": form,
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
        },
    )
