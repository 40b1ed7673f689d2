"""A patient's short session: a signed cookie that names their link, nothing more.

Kept apart from staff sessions so the two never mix in one browser, and so a patient's pages
need no session table. Each kind of link has a cookie of its own (its name from the settings,
and its own salt, so one kind's cookie can never open the other's pages). It lasts
PATIENT_SESSION_MINUTES from the patient's last step, and every page checks the link again, so
a link that is stopped ends its sessions at once.
"""

from django.conf import settings
from django.core import signing


class PatientSession:
    def __init__(self, *, cookie_name_setting: str, salt: str):
        self.cookie_name_setting = cookie_name_setting
        self.salt = salt

    @property
    def cookie_name(self) -> str:
        return getattr(settings, self.cookie_name_setting)

    @staticmethod
    def _max_age() -> int:
        return settings.PATIENT_SESSION_MINUTES * 60

    def start(self, response, link) -> None:
        """Begin (or renew) the session for this link on the response."""
        value = signing.dumps({"link": str(link.id)}, salt=self.salt, compress=True)
        response.set_cookie(
            self.cookie_name,
            value,
            max_age=self._max_age(),
            path="/",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )

    def end(self, response) -> None:
        response.delete_cookie(self.cookie_name, path="/", samesite="Lax")

    def link_id(self, request) -> str | None:
        """The link this browser proved it belongs to, or None if it never did or it expired."""
        value = request.COOKIES.get(self.cookie_name)
        if not value:
            return None
        try:
            return signing.loads(value, salt=self.salt, max_age=self._max_age())["link"]
        except (signing.BadSignature, KeyError, TypeError):
            return None

    def had_session(self, request) -> bool:
        """A cookie arrived, valid or not: tells a timed-out patient from a new visitor."""
        return self.cookie_name in request.COOKIES
