"""What a practice manager changes here: staff accounts and the link lifetime.

Every function takes the acting manager explicitly, checks that they manage the practice the
change is for, and writes exactly one audit entry in the same transaction as the change.
Audit details hold only ids, codes and field names: never a name, an email address or a password.
"""

import secrets

from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record

from ..models import (
    MAX_LINK_LIFETIME_DAYS,
    MAX_REVIEW_WITHIN_DAYS,
    MIN_LINK_LIFETIME_DAYS,
    MIN_REVIEW_WITHIN_DAYS,
    Practice,
    Role,
    User,
)
from ..permissions import Permission, require

# Letters and digits that cannot be mistaken for each other when read aloud or copied from a
# screen (no 0/O, 1/l/I). 20 of them carry about 99 bits: far beyond guessing, even offline.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 (an alphabet, not a password)
PASSWORD_GROUPS = 5
PASSWORD_GROUP_LENGTH = 4


class DuplicateEmail(Exception):
    """Another account already uses this email address (perhaps added a moment ago)."""


class CannotDisableSelf(Exception):
    """A manager who disabled their own account could lock the practice out."""


class AlreadyDisabled(Exception):
    pass


class AlreadyEnabled(Exception):
    pass


def generate_one_time_password() -> str:
    """A random password in groups of 4, like "k7mq-x3pt-9hwe-ra4n-c2vd", to pass on once."""
    groups = (
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


# Users


def add_user(
    *, by: User, full_name: str, email: str, role: str, is_caldicott_guardian: bool
) -> tuple[User, str]:
    """A new account with a one-time password, which is returned once and never stored."""
    require(by, Permission.MANAGE_PRACTICE)
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    password = generate_one_time_password()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name,
                practice=by.practice,
                role=role,
                is_caldicott_guardian=is_caldicott_guardian,
                must_change_password=True,
            )
            record(
                Action.USER_CREATED,
                user=by,
                target=user,
                detail={"role": role, "caldicott_guardian": is_caldicott_guardian},
            )
    except IntegrityError as error:
        # The form checked, but the same address can be added twice at the same moment.
        raise DuplicateEmail from error
    return user, password


def disable_user(*, by: User, user: User) -> int:
    """Stop the account working at once. Returns how many logged-in sessions were ended.

    Its second-factor devices are kept, so enabling the account again needs no new set-up.
    """
    require(by, Permission.MANAGE_PRACTICE, of=user)
    if user.pk == by.pk:
        raise CannotDisableSelf
    with transaction.atomic():
        locked = User.objects.select_for_update(no_key=True).get(pk=user.pk)
        if not locked.is_active:
            raise AlreadyDisabled
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        ended = end_sessions_of(locked)
        record(Action.USER_DISABLED, user=by, target=locked, detail={"sessions_ended": ended})
    user.is_active = False
    return ended


def enable_user(*, by: User, user: User) -> None:
    require(by, Permission.MANAGE_PRACTICE, of=user)
    with transaction.atomic():
        locked = User.objects.select_for_update(no_key=True).get(pk=user.pk)
        if locked.is_active:
            raise AlreadyEnabled
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        record(Action.USER_ENABLED, user=by, target=locked)
    user.is_active = True


def end_sessions_of(user: User) -> int:
    """Delete every stored session that is logged in as `user`.

    Django keeps no index from user to session, so each live session is decoded. Practices are
    small and this runs only when an account is disabled. An inactive user's session would
    stop working anyway (ModelBackend returns no inactive user), but deleting it leaves nothing
    to revive if the account is enabled again while an old cookie is still around.
    """
    user_id = str(user.pk)
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


# Practice settings


def set_link_lifetime(*, by: User, days: int) -> bool:
    """Links sent from now on last this many days; those already sent keep their expiry.

    Returns False, saving and logging nothing, when the lifetime is already `days`.
    """
    require(by, Permission.MANAGE_PRACTICE)
    if not MIN_LINK_LIFETIME_DAYS <= days <= MAX_LINK_LIFETIME_DAYS:
        raise ValueError(f"link lifetime {days} is out of range")
    return _set_setting(by, "link_lifetime_days", days)


def set_review_time(*, by: User, days: int) -> bool:
    """Photos filed from now on are due for review within this many working days; those
    already filed keep their due time. False, saving and logging nothing, when unchanged."""
    require(by, Permission.MANAGE_PRACTICE)
    if not MIN_REVIEW_WITHIN_DAYS <= days <= MAX_REVIEW_WITHIN_DAYS:
        raise ValueError(f"review time {days} is out of range")
    return _set_setting(by, "review_within_days", days)


def _set_setting(by: User, field: str, value) -> bool:
    """Change one of the practice's settings, with its audit entry; False when unchanged.
    The caller has checked `by` may manage the practice and the value is in range."""
    with transaction.atomic():
        practice = Practice.objects.select_for_update(no_key=True).get(pk=by.practice_id)
        before = getattr(practice, field)
        if before == value:
            return False
        setattr(practice, field, value)
        practice.save(update_fields=[field])
        record(
            Action.PRACTICE_SETTINGS_CHANGED,
            user=by,
            target=practice,
            detail={"field": field, "from": before, "to": value},
        )
    setattr(by.practice, field, value)
    return True
