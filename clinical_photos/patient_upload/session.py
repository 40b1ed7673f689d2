"""The patient's short session: a signed cookie that names their link, nothing more.

Kept apart from staff sessions so the two never mix in one browser, and so a patient's pages
need no session table. It lasts 30 minutes from the patient's last step, and every page checks
the link again, so cancelling a request ends its sessions at once.
"""

from django.conf import settings
from django.core import signing

SALT = "clinical_photos.patient_upload.session"


def _max_age() -> int:
    return settings.PATIENT_SESSION_MINUTES * 60


def start(response, link) -> None:
    """Begin (or renew) the session for this link on the response."""
    value = signing.dumps({"link": str(link.id)}, salt=SALT, compress=True)
    response.set_cookie(
        settings.PATIENT_SESSION_COOKIE_NAME,
        value,
        max_age=_max_age(),
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def end(response) -> None:
    response.delete_cookie(settings.PATIENT_SESSION_COOKIE_NAME, path="/", samesite="Lax")


def link_id(request) -> str | None:
    """The link this browser proved it belongs to, or None if it never did or it expired."""
    value = request.COOKIES.get(settings.PATIENT_SESSION_COOKIE_NAME)
    if not value:
        return None
    try:
        return signing.loads(value, salt=SALT, max_age=_max_age())["link"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def had_session(request) -> bool:
    """A session cookie arrived, valid or not: tells a timed-out patient from a new visitor."""
    return settings.PATIENT_SESSION_COOKIE_NAME in request.COOKIES
