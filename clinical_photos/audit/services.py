"""Writing and checking the audit log. Services call `record` inside their own transaction."""

from dataclasses import dataclass
from typing import NamedTuple

from django.db import models, transaction
from django.utils import timezone

from .models import Action, AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


class Ref(NamedTuple):
    """A record named by its model's name and its id, for code that holds only the id (a task
    whose arguments are ids) and would otherwise have to import the model to name it."""

    model_name: str
    id: str

    @classmethod
    def to(cls, instance: models.Model) -> "Ref":
        return cls(instance._meta.model_name, str(instance.pk))


# Callers that lock a row before recording must lock it with select_for_update(no_key=True)
# when the entry refers to that row (a user, a practice, a patient's link): the entry's foreign
# key needs a key-share lock on it, which a plain FOR UPDATE held by another writer blocks
# while that writer waits for the chain's head; PostgreSQL then reports a deadlock.
def record(
    action: Action,
    *,
    user=None,
    patient_link=None,
    practice=None,
    target: models.Model | Ref | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            sequence=head.last_sequence + 1,
            at=timezone.now(),
            user=user if user is not None and user.is_authenticated else None,
            patient_link=patient_link,
            practice=practice if practice is not None else getattr(user, "practice", None),
            action=action,
            object_type=_ref(target).model_name if target is not None else "",
            object_id=_ref(target).id if target is not None else "",
            detail=detail or {},
            previous_hash=head.last_hash,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
        head.last_sequence, head.last_hash = entry.sequence, entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
        return entry


def _ref(target: models.Model | Ref) -> Ref:
    return target if isinstance(target, Ref) else Ref.to(target)


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    message: str


def verify_chain() -> ChainProblem | None:
    """The first place where the chain was changed or cut, or None when it is whole."""
    expected_sequence, previous_hash = 1, GENESIS_HASH
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return ChainProblem(
                expected_sequence,
                f"Entry {expected_sequence} is missing: it was removed.",
            )
        if entry.previous_hash != previous_hash:
            return ChainProblem(
                entry.sequence - 1,
                f"Entry {entry.sequence - 1} was changed or removed: "
                f"entry {entry.sequence} no longer chains to it.",
            )
        if entry.compute_hash() != entry.entry_hash:
            return ChainProblem(entry.sequence, f"Entry {entry.sequence} was changed.")
        expected_sequence, previous_hash = entry.sequence + 1, entry.entry_hash
    head = AuditChainHead.objects.filter(id=1).first()
    last = expected_sequence - 1
    if head is not None and (head.last_sequence, head.last_hash) != (last, previous_hash):
        return ChainProblem(
            last + 1,
            f"Entries {last + 1} to {head.last_sequence} are missing: the newest were removed.",
        )
    return None
