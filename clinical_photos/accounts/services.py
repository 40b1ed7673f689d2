"""Logging staff in and out. Each step writes its audit entry in the same transaction."""

from django.contrib.auth import login, logout, update_session_auth_hash
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record

from .middleware import LOGGED_IN_AT
from .models import User


def start_session(request, user: User, *, complete: bool) -> None:
    """The password was right. `complete` is False while the second factor is still to come."""
    with transaction.atomic():
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[LOGGED_IN_AT] = timezone.now().isoformat()
        if complete:
            record(Action.LOGIN, user=user, target=user, detail={"second_factor": False})


def prove_second_factor(request, user: User, device: TOTPDevice) -> None:
    with transaction.atomic():
        otp_login(request, device)
        record(Action.LOGIN, user=user, target=user, detail={"second_factor": True})


def confirm_new_device(request, user: User, device: TOTPDevice) -> None:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(Action.SECOND_FACTOR_SET_UP, user=user, target=user)
        prove_second_factor(request, user, device)


def record_failed_login(user: User | None, stage: str) -> None:
    """A wrong password or code for a known account. Unknown addresses leave no entry."""
    if user is None:
        return
    with transaction.atomic():
        record(
            Action.LOGIN_FAILED,
            user=None,
            practice=user.practice,
            target=user,
            detail={"stage": stage},
        )


def end_session(request) -> None:
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            record(Action.LOGOUT, user=user, target=user)
        logout(request)


def replace_one_time_password(request, user: User, password: str) -> None:
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record(Action.PASSWORD_CHANGED, user=user, target=user)
        # Changing the password ends other sessions; this one carries on.
        update_session_auth_hash(request, user)
