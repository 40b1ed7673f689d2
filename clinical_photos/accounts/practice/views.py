"""The practice manager's pages: users and how long links last.

Only practice managers may open them. Every lookup goes through the manager's own practice, so
an id from another practice answers 404.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from clinical_photos.core.forms import ConfirmForm

from ..permissions import Permission, permission_required
from . import services
from .forms import (
    EMAIL_TAKEN,
    ROLE_HINTS,
    AddUserForm,
    LinkLifetimeForm,
    ReviewTimeForm,
)


def _practice_user(request, user_id):
    return get_object_or_404(request.user.practice.users, id=user_id)


@permission_required(Permission.MANAGE_PRACTICE)
@require_GET
def home(request):
    practice = request.user.practice
    return render(
        request,
        "practice/home.jinja",
        {
            "page_title": "Practice settings",
            "active_users": practice.users.filter(is_active=True).count(),
            "disabled_users": practice.users.filter(is_active=False).count(),
            "active_templates": practice.request_templates.filter(is_active=True).count(),
            "inactive_templates": practice.request_templates.filter(is_active=False).count(),
            "link_lifetime_days": practice.link_lifetime_days,
            "review_within_days": practice.review_within_days,
        },
    )


# Users


@permission_required(Permission.MANAGE_PRACTICE)
@require_GET
def users(request):
    return render(
        request,
        "practice/users.jinja",
        {
            "page_title": "Users",
            "users": request.user.practice.users.order_by("full_name"),
            "column_width": "full",
        },
    )


@permission_required(Permission.MANAGE_PRACTICE)
@require_http_methods(["GET", "POST"])
def add_user(request):
    form = AddUserForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.add_user(by=request.user, **form.cleaned_data)
        except services.DuplicateEmail:
            form.add_error("email", EMAIL_TAKEN)
        else:
            messages.success(request, f"{user.full_name} has been added")
            # Rendered straight from the POST rather than after a redirect, so the password is
            # never stored (not even in the session) and is shown only this once.
            response = render(
                request,
                "practice/user_added.jinja",
                {
                    "page_title": f"Give {user.full_name} their one-time password",
                    "new_user": user,
                    "password": password,
                },
            )
            add_never_cache_headers(response)
            return response
    return render(
        request,
        "practice/add_user.jinja",
        {
            "page_title": "Add a user",
            "form": form,
            "role_hints": ROLE_HINTS,
        },
    )


@permission_required(Permission.MANAGE_PRACTICE, scope=_practice_user)
@require_http_methods(["GET", "POST"])
def disable_user(request, user_id):
    user = _practice_user(request, user_id)
    if user.pk == request.user.pk:
        messages.info(
            request, "You cannot disable your own account. Ask another practice manager to do it"
        )
        return redirect("practice:users")
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            services.disable_user(by=request.user, user=user)
        except services.AlreadyDisabled:
            messages.info(request, f"{user.full_name}'s account was already disabled")
        else:
            messages.success(
                request, f"{user.full_name}'s account has been disabled. They have been logged out"
            )
        return redirect("practice:users")
    if not user.is_active:
        messages.info(request, f"{user.full_name}'s account is already disabled")
        return redirect("practice:users")
    return render(
        request,
        "practice/disable_user.jinja",
        {"page_title": f"Disable {user.full_name}'s account?", "account": user},
    )


@permission_required(Permission.MANAGE_PRACTICE, scope=_practice_user)
@require_http_methods(["GET", "POST"])
def enable_user(request, user_id):
    user = _practice_user(request, user_id)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            services.enable_user(by=request.user, user=user)
        except services.AlreadyEnabled:
            messages.info(request, f"{user.full_name}'s account was already active")
        else:
            messages.success(
                request, f"{user.full_name}'s account has been enabled. They can log in again"
            )
        return redirect("practice:users")
    if user.is_active:
        messages.info(request, f"{user.full_name}'s account is already active")
        return redirect("practice:users")
    return render(
        request,
        "practice/enable_user.jinja",
        {"page_title": f"Enable {user.full_name}'s account?", "account": user},
    )


# Practice settings


@permission_required(Permission.MANAGE_PRACTICE)
@require_http_methods(["GET", "POST"])
def link_lifetime(request):
    practice = request.user.practice
    form = LinkLifetimeForm(
        request.POST or None, initial={"link_lifetime_days": practice.link_lifetime_days}
    )
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["link_lifetime_days"]
        if services.set_link_lifetime(by=request.user, days=days):
            messages.success(request, f"Links sent from now on will last {_days(days)}")
        else:
            messages.info(request, f"Links already last {_days(days)}. Nothing was changed")
        return redirect("practice:home")
    return render(
        request,
        "practice/link_lifetime.jinja",
        {
            "page_title": "How long links last",
            "form": form,
        },
    )


@permission_required(Permission.MANAGE_PRACTICE)
@require_http_methods(["GET", "POST"])
def review_time(request):
    practice = request.user.practice
    form = ReviewTimeForm(
        request.POST if request.method == "POST" else None,
        initial={"review_within_days": practice.review_within_days},
    )
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["review_within_days"]
        words = "1 working day" if days == 1 else f"{days} working days"
        if services.set_review_time(by=request.user, days=days):
            messages.success(request, f"Photos filed from now on are due for review in {words}")
        else:
            messages.info(request, f"Reviews are already due in {words}. Nothing was changed")
        return redirect("practice:home")
    return render(
        request,
        "practice/review_time.jinja",
        {"page_title": "How soon photos must be reviewed", "form": form},
    )


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"
