from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinical_photos.accounts.permissions import Permission, permission_required

from . import mailbox


@permission_required(Permission.SEE_DEMO_MESSAGES)
@require_GET
def mailbox_page(request):
    """The demo's stand-in for staff's email: the emails sent to the logged-in user."""
    if not mailbox.is_enabled():
        raise Http404("The mailbox is only used when emails are not really sent.")
    emails = mailbox.emails_for(request.user)
    mailbox.record_mailbox_viewed(by=request.user, shown=len(emails))
    return render(
        request,
        "messaging/mailbox.jinja",
        {
            "page_title": "Your emails",
            "emails": emails,
            "email_lines": mailbox.email_lines,
            "shown_limit": mailbox.SHOWN,
        },
    )
