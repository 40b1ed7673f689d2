"""The pages every patient link goes through, whatever it is for.

A `LinkJourney` is one kind of link and its pages: opening the link (which asks for the date of
birth, and on the right one swaps the token for a short session and leaves the token's
address), the page that says why a link no longer works, and `pages`, the guard on every page
after the date of birth. The words that differ between kinds (what the link is for, the
service's name) are the journey's; the rules and the templates are shared.
"""

from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import date_of_birth, services
from .forms import DateOfBirthForm
from .models import LinkState, PatientLinkBase, state_of
from .session import PatientSession

# What each state of a dead link says: a title and why, never naming the patient. `{doing}` is
# what the link is for, in the journey's words ("send photos").
STATE_WORDS: dict[LinkState, tuple[str, str]] = {
    LinkState.UNKNOWN: (
        "This link does not work",
        "Check you copied the whole link from your text message. If it still does not work, "
        "contact your GP surgery.",
    ),
    LinkState.CANCELLED: (
        "This request has been cancelled",
        "Your GP surgery no longer needs photos for this request. You do not need to do "
        "anything. If you think they still need to see the problem, contact them.",
    ),
    LinkState.REPLACED: (
        "This link has been replaced",
        "Your GP surgery sent you a newer text message with a new link. Use the link in the "
        "newest message.",
    ),
    LinkState.EXPIRED: (
        "This link has expired",
        "Links only work for a few days. If you still want to {doing}, contact your GP "
        "surgery and ask them to send a new link.",
    ),
    LinkState.USED: (
        "This link has already been used",
        "Photos have already been sent with this link, or the surgery was told you did not "
        "want to send any. Each link can only be used once.",
    ),
    LinkState.LOCKED: (
        "This link has been locked",
        "The date of birth was entered wrongly too many times, so the link no longer works. "
        "This keeps your information safe. Contact your GP surgery to get a new link.",
    ),
    LinkState.REVOKED: (
        "This link no longer works",
        "Your GP surgery has stopped this link. If you still want to {doing}, contact them "
        "and ask for a new link.",
    ),
}


def patient_page(view):
    """A patient's page: no staff login, and never cached."""

    @login_not_required
    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapped


@dataclass(frozen=True)
class LinkJourney:
    model: type[PatientLinkBase]
    session: PatientSession
    # The header's name for the service, e.g. "Send photos to your GP surgery".
    service_name: str
    # What the link is for, to finish "If you need to ... sooner", e.g. "send photos".
    doing: str
    # Who else's date of birth to give, e.g. "If you are sending photos for a child ...".
    someone_else: str
    # Where the patient goes once their date of birth is right (a URL name).
    first_page: str
    # Related rows every page of the journey reads, fetched with the link.
    related: tuple[str, ...] = ()
    # Said after a session times out, e.g. that photos already added are kept.
    after_timeout: str = ""

    # Finding the link -------------------------------------------------------------------------

    def find(self, token: str):
        """The link with this token, or None."""
        return services.find(self.model, token, related=self.related)

    def link_of(self, request):
        """The link this browser's session names, or None."""
        return services.by_id(self.model, self.session.link_id(request), related=self.related)

    # Pages ------------------------------------------------------------------------------------

    def render(self, request, template: str, context: dict, status=200):
        """A page of this journey: its words and the service's name go to every template."""
        return render(
            request,
            template,
            {"service_name": self.service_name, "journey": self, **context},
            status=status,
        )

    def state_page(self, request, state: LinkState, link, status=200):
        title, body = STATE_WORDS[state]
        return self.render(
            request,
            "patient_links/link_state.jinja",
            {
                "page_title": title,
                "body": body.format(doing=self.doing),
                "practice": link.practice if link is not None else None,
                "state": state.value,
            },
            status=status,
        )

    def ended_title(self, request) -> str:
        if self.session.had_session(request):
            return "Your session has ended"
        return "Open the link in your text"

    def ended_page(self, request):
        """No session, or one that timed out: the patient must open their link again."""
        response = self.render(
            request,
            "patient_links/session_ended.jinja",
            {
                "page_title": self.ended_title(request),
                "timed_out": self.session.had_session(request),
                "minutes": settings.PATIENT_SESSION_MINUTES,
            },
            status=403,
        )
        self.session.end(response)
        return response

    def _date_of_birth_page(self, request, link, form, *, tries_left=None):
        if link is not None and tries_left is None:
            tries_left = date_of_birth.tries_left(link.failed_date_of_birth_attempts)
        return self.render(
            request,
            "patient_links/date_of_birth.jinja",
            {
                "page_title": form.fields["date_of_birth"].label,
                "form": form,
                "practice": link.practice if link is not None else None,
                # The patient is told before the try that locks the link, not after it. A link
                # that does not exist has no tries to count, so it never says this; by then
                # the real link's address has shown it is one (it asks for a date at all).
                "last_try": tries_left == 1,
            },
        )

    def open_link(self, request, token):
        """The address in the text: asks for the date of birth, then starts the session."""
        link = self.find(token)
        state = state_of(link)
        if request.method == "GET":
            if state != LinkState.OPEN:
                return self.state_page(request, state, link, status=404 if link is None else 200)
            services.record_opened(link)
            return self._date_of_birth_page(request, link, DateOfBirthForm())
        if date_of_birth.too_many_tries(request):
            return self.render(
                request,
                "patient_links/too_many_tries.jinja",
                {"page_title": "Too many tries"},
                status=429,
            )
        if link is not None and state != LinkState.OPEN:
            return self.state_page(request, state, link)
        form = DateOfBirthForm(request.POST)
        result = date_of_birth.answer(
            form, link, lambda link, given: services.check_date_of_birth(self.model, link, given)
        )
        if result.locked:
            return self.state_page(request, LinkState.LOCKED, link)
        if not result.verified:
            return self._date_of_birth_page(request, link, form, tries_left=result.tries_left)
        # Swap the token for a session and leave the token's address, so it stays out of the
        # browser's history of later pages and out of any Referer.
        response = redirect(self.first_page)
        self.session.start(response, link)
        return response

    def open_link_view(self):
        """`open_link` as a view for the URL conf: /p/<token>, /v/<token>."""

        @patient_page
        @require_http_methods(["GET", "POST"])
        def view(request, token):
            return self.open_link(request, token)

        return view

    # The guard on every later page ------------------------------------------------------------

    def closed(self, request, link, state: LinkState):
        """A page asked for through a link that no longer works: say why, end the session."""
        response = self.state_page(request, state, link)
        self.session.end(response)
        return response

    def pages(self, view=None, *, also_when: tuple[LinkState, ...] = ()):
        """For a page after the date of birth: `view(request, link, ...)` runs only with this
        journey's session and a link still open (or in one of `also_when`'s states), and each
        step renews the session for another PATIENT_SESSION_MINUTES."""
        if view is None:
            return lambda view: self.pages(view, also_when=also_when)

        @patient_page
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            link = self.link_of(request)
            if link is None:
                return self.ended_page(request)
            state = link.state()
            if state != LinkState.OPEN and state not in also_when:
                return self.closed(request, link, state)
            response = view(request, link, *args, **kwargs)
            self.session.start(response, link)
            return response

        return wrapped
