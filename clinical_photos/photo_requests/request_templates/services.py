"""Request templates: the kinds of request a practice allows, with the words the patient reads.

Practice managers add and change them. Every function takes the acting manager explicitly,
checks they manage the practice, and writes one audit entry in the same transaction as the
change. No template may name an intimate area: the service must never be used to ask for such
photos, whoever asks.
"""

import re

from django.db import IntegrityError, transaction

from clinical_photos.accounts.models import User
from clinical_photos.accounts.permissions import Permission, require
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record

from ..models import RequestTemplate

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


class DuplicateTemplateName(Exception):
    """The practice already has a template with this name."""


class IntimateAreaMentioned(ValueError):
    """Template text names an intimate area."""


def find_intimate_word(text: str) -> str | None:
    """The first word in `text` that names an intimate area, as written, or None."""
    match = _INTIMATE_WORD.search(text or "")
    return match.group(0) if match else None


def _check_template_text(name: str, patient_message: str) -> None:
    if find_intimate_word(name) or find_intimate_word(patient_message):
        raise IntimateAreaMentioned


def add_template(
    *, by: User, name: str, patient_message: str, admins_may_use: bool
) -> RequestTemplate:
    require(by, Permission.MANAGE_PRACTICE)
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
    require(by, Permission.MANAGE_PRACTICE, of=template)
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
