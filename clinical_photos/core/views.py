from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def privacy(request):
    return render(request, "core/privacy.jinja", {"page_title": "How we use your information"})


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "core/accessibility.jinja", {"page_title": "Accessibility statement"})


@login_not_required
def csrf_failure(request, reason=""):
    """A form sent from a page that was open too long, or from somewhere else."""
    return render(
        request,
        "core/error.jinja",
        {
            "page_title": "This form has expired",
            "body": "You may have left the page open for too long, or logged out and back in "
            "on another tab. Nothing was saved. Go back, reload the page, and try again.",
        },
        status=403,
    )


def _error(request, status: int, title: str, body: str):
    return render(request, "core/error.jinja", {"page_title": title, "body": body}, status=status)


@login_not_required
def bad_request(request, exception=None):
    return _error(
        request, 400, "Sorry, there is a problem with that request", "Go back and try again."
    )


@login_not_required
def forbidden(request, exception=None):
    """The one page for a refusal. A refusal that names what the role may not do (accounts'
    `Refused`: core imports no other app, so it is known by its `permission`) says so."""
    body = "Your role does not allow it. Ask your practice manager if you think it should."
    if getattr(exception, "permission", None) is not None:
        recorded = " This request has been recorded." if exception.recorded else ""
        body = (
            f"{exception}{recorded} Ask your practice manager if you think your role should "
            "allow it."
        )
    return _error(request, 403, "You cannot open this page", body)


@login_not_required
def not_found(request, exception=None):
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the address, check it is correct. If you followed a link, it may be for "
        "another practice, or the page may have been removed.",
    )


@login_not_required
def server_error(request):
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you entered on the last page was saved.",
    )
