from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url
from django.utils import timezone

LOGGED_IN_AT = "logged_in_at"


def _needs_login(view_func) -> bool:
    return getattr(view_func, "login_required", True)


def _to_login(request, reason: str):
    query = {"ended": reason}
    if request.method == "GET":
        query["next"] = request.get_full_path()
    return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode(query)}")


class SessionLifetimeMiddleware:
    """Ends staff sessions that have lasted too long, and says why on the login page.

    The 15-minute idle limit is the session's age, renewed on each request
    (SESSION_SAVE_EVERY_REQUEST); the 12-hour limit counts from login. A disabled user's
    session ends at once because the auth backend stops returning an inactive user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _needs_login(view_func):
            return None
        if request.user.is_authenticated:
            started = request.session.get(LOGGED_IN_AT)
            if started is None or (
                timezone.now() - datetime.fromisoformat(started)
                > settings.SESSION_ABSOLUTE_LIFETIME
            ):
                logout(request)
                return _to_login(request, "limit")
            return None
        # A session cookie the server no longer knows: the session timed out while idle.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.session_key is None:
            return _to_login(request, "idle")
        return None


class SecondFactorRequiredMiddleware:
    """After the password, staff must prove their second factor before any other page, then
    replace a one-time password that a practice manager gave them."""

    ALLOWED = {"accounts:login", "accounts:verify_code", "accounts:set_up_code", "accounts:logout"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not _needs_login(view_func):
            return None
        view_name = request.resolver_match.view_name
        if view_name in self.ALLOWED:
            return None
        if settings.SECOND_FACTOR_REQUIRED and not user.is_verified():
            return redirect("accounts:verify_code")
        if user.must_change_password and view_name != "accounts:change_password":
            return redirect("accounts:change_password")
        return None
