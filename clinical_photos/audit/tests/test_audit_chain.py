import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.audit.services import GENESIS_HASH, record, verify_chain


@pytest.fixture
def three_entries(clinician):
    return [
        record(Action.PATIENT_SEARCHED, user=clinician, detail={"results": n}) for n in range(3)
    ]


def _tamper(sql: str, params) -> None:
    """Change the table behind the model's back, as someone with database access could."""
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", AuditEntry._meta.db_table), params)


def test_each_entry_holds_the_hash_of_the_one_before(three_entries):
    first, second, third = three_entries
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert [e.sequence for e in three_entries] == [1, 2, 3]
    assert first.at.utcoffset().total_seconds() == 0


def test_entries_record_who_what_which_record_and_when(three_entries, clinician):
    entry = AuditEntry.objects.get(sequence=1)
    assert entry.user == clinician
    assert entry.practice == clinician.practice
    assert entry.action == Action.PATIENT_SEARCHED


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(three_entries):
    entry = AuditEntry.objects.get(sequence=2)
    entry.detail = {"results": 99}
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_an_entry_is_rolled_back_with_the_change_it_describes(clinician):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(Action.PATIENT_SEARCHED, user=clinician)
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == 0
    assert record(Action.PATIENT_SEARCHED, user=clinician).sequence == 1


def test_verify_audit_passes_on_a_whole_chain(three_entries, capsys):
    call_command("verify_audit")
    assert "3 entries" in capsys.readouterr().out


def test_verify_audit_names_a_changed_entry(three_entries):
    _tamper("UPDATE {table} SET detail = %s WHERE sequence = 2", ['{"results": 7}'])
    assert verify_chain().sequence == 2
    with pytest.raises(CommandError, match="Entry 2 was changed"):
        call_command("verify_audit")


def test_verify_audit_names_a_changed_entry_whose_hash_was_recomputed(three_entries):
    entry = AuditEntry.objects.get(sequence=2)
    entry.detail = {"results": 7}
    _tamper(
        "UPDATE {table} SET detail = %s, entry_hash = %s WHERE sequence = 2",
        ['{"results": 7}', entry.compute_hash()],
    )
    with pytest.raises(CommandError, match="Entry 2 was changed or removed"):
        call_command("verify_audit")


def test_verify_audit_names_a_removed_entry(three_entries):
    _tamper("DELETE FROM {table} WHERE sequence = 2", [])
    with pytest.raises(CommandError, match="Entry 2 is missing"):
        call_command("verify_audit")


def test_verify_audit_notices_the_newest_entries_were_removed(three_entries):
    _tamper("DELETE FROM {table} WHERE sequence = 3", [])
    with pytest.raises(CommandError, match="Entries 3 to 3 are missing"):
        call_command("verify_audit")
