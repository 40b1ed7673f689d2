from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import authenticate, user_login_failed
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .forms import CodeForm, LoginForm, NewPasswordForm
from .models import User
from .permissions import Permission, permission_required

ENDED_MESSAGES = {
    "idle": "You were logged out because you did nothing for 15 minutes. Log in again to carry on.",
    "limit": "You were logged out because you had been logged in for 12 hours. Log in again.",
}
NEW_DEVICE_SESSION_KEY = "new_totp_device_id"


def _next_url(request) -> str:
    """The page to go to after logging in: a path on this site, or the start page.

    Only a path that starts with "/" will do: redirect() takes any other word for the name
    of a view, and a name that is not one is a server error.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        user = authenticate(request, email=email, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            services.record_failed_login(User.objects.filter(email=email).first(), "password")
            form.add_error(None, "Enter the email address and password of an active account")
        else:
            has_device = any(devices_for_user(user, confirmed=True))
            needs_code = settings.SECOND_FACTOR_REQUIRED or has_device
            services.start_session(request, user, complete=not needs_code)
            if not needs_code:
                return redirect(_next_url(request))
            target = reverse("accounts:verify_code" if has_device else "accounts:set_up_code")
            next_url = _next_url(request)
            if next_url != settings.LOGIN_REDIRECT_URL:
                # Encoded: a line break in a header is a server error, an "&" a second field.
                target += f"?{urlencode({'next': next_url})}"
            return redirect(target)
    return render(
        request,
        "accounts/login.jinja",
        {
            "page_title": "Log in",
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "ended_message": ENDED_MESSAGES.get(request.GET.get("ended", "")),
        },
    )


@permission_required(Permission.USE_OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def verify_code(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not any(devices_for_user(user, confirmed=True)):
        return redirect("accounts:set_up_code")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            services.prove_second_factor(request, user, device)
            return redirect(_next_url(request))
        # Wrong codes count towards the lockout, like wrong passwords.
        user_login_failed.send(sender=__name__, credentials={"email": user.email}, request=request)
        services.record_failed_login(user, "second_factor")
        if getattr(request, "axes_locked_out", False):
            services.end_session(request)
            return locked_out(request)
        form.add_error("code", "The security code is not right. Enter the code your app shows now")
    return render(
        request,
        "accounts/verify_code.jinja",
        {
            "page_title": "Enter your security code",
            "form": form,
            "next": _next_url(request),
        },
    )


@permission_required(Permission.USE_OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def set_up_code(request):
    """First login: link an authenticator app to the account, then prove it works."""
    user = request.user
    if user.is_verified() or any(devices_for_user(user, confirmed=True)):
        return redirect("accounts:verify_code")
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False, id=request.session.get(NEW_DEVICE_SESSION_KEY)
    ).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        request.session[NEW_DEVICE_SESSION_KEY] = device.id
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            services.confirm_new_device(request, user, device)
            del request.session[NEW_DEVICE_SESSION_KEY]
            return redirect(_next_url(request))
        form.add_error("code", "The security code is not right. Enter the code your app shows now")
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/set_up_code.jinja",
        {
            "page_title": "Set up your security code",
            "form": form,
            # Drawn inline as SVG so that the page asks no other host for an image.
            "qr_svg": qr.svg_inline(scale=4, title="QR code to scan with your authenticator app"),
            "secret": _group(device.bin_key),
            "next": _next_url(request),
        },
    )


def _group(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@permission_required(Permission.USE_OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def change_password(request):
    if not request.user.must_change_password:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = NewPasswordForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.replace_one_time_password(request, request.user, form.cleaned_data["new_password"])
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/change_password.jinja",
        {
            "page_title": "Choose your password",
            "form": form,
        },
    )


# The session cookie is SameSite=Lax, so a cross-site POST arrives without it and logs nobody
# out; CSRF protection here would only stop the header's plain form, which carries no token.
@csrf_exempt
@login_not_required
@require_POST
def logout_view(request):
    services.end_session(request)
    return render(request, "accounts/logged_out.jinja", {"page_title": "You have logged out"})


@login_not_required
def locked_out(request, response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.jinja",
        {"page_title": "Your account is locked for now", "minutes": minutes},
        status=403,
    )
