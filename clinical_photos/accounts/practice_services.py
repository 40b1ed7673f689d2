"""What a practice manager changes: staff accounts, request templates and the link lifetime.

Every function takes the acting manager explicitly, checks that they manage the practice the
change is for, and writes exactly one audit entry in the same transaction as the change.
Audit details hold only ids, codes and field names: never a name, an email address or a password.
"""

import re
import secrets

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record
from clinical_photos.photo_requests.models import RequestTemplate

from .models import MAX_LINK_LIFETIME_DAYS, MIN_LINK_LIFETIME_DAYS, Practice, Role, User

# Letters and digits that cannot be mistaken for each other when read aloud or copied from a
# screen (no 0/O, 1/l/I). 20 of them carry about 99 bits: far beyond guessing, even offline.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 (an alphabet, not a password)
PASSWORD_GROUPS = 5
PASSWORD_GROUP_LENGTH = 4

# Words for intimate areas. The service must never be used to ask for photos of these, so no
# template may mention them. Whole words only: "analgesic" and "anaesthetic" are fine.
INTIMATE_WORDS = (
    "breast", "breasts", "nipple", "nipples", "areola", "areolas", "areolae",
    "genital", "genitals", "genitalia", "penis", "penile", "foreskin", "scrotum", "scrotal",
    "testicle", "testicles", "testis", "testes", "vulva", "vulval", "vagina", "vaginal",
    "labia", "labial", "clitoris", "groin", "groins", "pubic", "perineum", "perineal",
    "anus", "anal", "perianal", "rectum", "rectal", "buttock", "buttocks",
)  # fmt: skip
_INTIMATE_WORD = re.compile(r"\b(" + "|".join(INTIMATE_WORDS) + r")\b", re.IGNORECASE)


class DuplicateEmail(Exception):
    """Another account already uses this email address (perhaps added a moment ago)."""


class DuplicateTemplateName(Exception):
    """The practice already has a template with this name."""


class IntimateAreaMentioned(ValueError):
    """Template text names an intimate area."""


class CannotDisableSelf(Exception):
    """A manager who disabled their own account could lock the practice out."""


class AlreadyDisabled(Exception):
    pass


class AlreadyEnabled(Exception):
    pass


def find_intimate_word(text: str) -> str | None:
    """The first word in `text` that names an intimate area, as written, or None."""
    match = _INTIMATE_WORD.search(text or "")
    return match.group(0) if match else None


def generate_one_time_password() -> str:
    """A random password in groups of 4, like "k7mq-x3pt-9hwe-ra4n-c2vd", to pass on once."""
    groups = (
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


def _require_manager(by: User, practice: Practice) -> None:
    """The views check this too; the services check again so no other caller can skip it."""
    if not (by.is_active and by.is_practice_manager and by.practice_id == practice.pk):
        raise PermissionDenied


# Users


def add_user(
    *, by: User, full_name: str, email: str, role: str, is_caldicott_guardian: bool
) -> tuple[User, str]:
    """A new account with a one-time password, which is returned once and never stored."""
    _require_manager(by, by.practice)
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
    _require_manager(by, user.practice)
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
    _require_manager(by, user.practice)
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


# Request templates


def _check_template_text(name: str, patient_message: str) -> None:
    if find_intimate_word(name) or find_intimate_word(patient_message):
        raise IntimateAreaMentioned


def add_template(
    *, by: User, name: str, patient_message: str, admins_may_use: bool
) -> RequestTemplate:
    _require_manager(by, by.practice)
    _check_template_text(name, patient_message)
    try:
        with transaction.atomic():
            template = RequestTemplate.objects.create(
                practice=by.practice,
                name=name,
                patient_message=patient_message,
                admins_may_use=admins_may_use,
                is_active=True,
            )
            record(
                Action.TEMPLATE_CREATED,
                user=by,
                target=template,
                detail={"admins_may_use": admins_may_use},
            )
    except IntegrityError as error:
        raise DuplicateTemplateName from error
    return template


TEMPLATE_FIELDS = ("name", "patient_message", "admins_may_use", "is_active")


def change_template(*, by: User, template: RequestTemplate, **values) -> list[str]:
    """Save the changed fields. Returns their names; nothing is saved or logged if none."""
    _require_manager(by, template.practice)
    unknown = set(values) - set(TEMPLATE_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    changed = [f for f in TEMPLATE_FIELDS if f in values and getattr(template, f) != values[f]]
    if not changed:
        return []
    # A template that already names an intimate area may still be switched off unchanged.
    stays_active = values.get("is_active", template.is_active)
    for text_field in ("name", "patient_message"):
        text = values.get(text_field, getattr(template, text_field))
        if (stays_active or text_field in changed) and find_intimate_word(text):
            raise IntimateAreaMentioned
    try:
        with transaction.atomic():
            for name in changed:
                setattr(template, name, values[name])
            template.save(update_fields=changed)
            detail: dict = {"fields": changed}
            for flag in ("admins_may_use", "is_active"):
                if flag in changed:
                    detail[flag] = values[flag]
            record(Action.TEMPLATE_CHANGED, user=by, target=template, detail=detail)
    except IntegrityError as error:
        template.refresh_from_db()
        raise DuplicateTemplateName from error
    return changed


# Practice settings


def set_link_lifetime(*, by: User, days: int) -> bool:
    """Links sent from now on last this many days; those already sent keep their expiry.

    Returns False, saving and logging nothing, when the lifetime is already `days`.
    """
    _require_manager(by, by.practice)
    if not MIN_LINK_LIFETIME_DAYS <= days <= MAX_LINK_LIFETIME_DAYS:
        raise ValueError(f"link lifetime {days} is out of range")
    with transaction.atomic():
        practice = Practice.objects.select_for_update(no_key=True).get(pk=by.practice_id)
        before = practice.link_lifetime_days
        if before == days:
            return False
        practice.link_lifetime_days = days
        practice.save(update_fields=["link_lifetime_days"])
        record(
            Action.PRACTICE_SETTINGS_CHANGED,
            user=by,
            target=practice,
            detail={"field": "link_lifetime_days", "from": before, "to": days},
        )
    by.practice.link_lifetime_days = days
    return True
