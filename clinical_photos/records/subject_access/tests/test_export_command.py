"""`manage.py export_patient NHS_NUMBER OUT.zip [--practice ODS_CODE]`."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.manage import run_manage
from clinical_photos.patients.tests.factories import NHS_NUMBER, PatientFactory
from clinical_photos.records.tests.factories import file_photos


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder / "out.zip"


@pytest.mark.django_db
def test_the_command_writes_the_zip_and_one_audit_entry(practice, clinician, out):
    patient = PatientFactory(practice=practice, nhs_number=NHS_NUMBER)
    file_photos(by=clinician, patient=patient)
    stdout = io.StringIO()
    call_command("export_patient", "943 476 5919", str(out), stdout=stdout)
    assert "2 photo files" in stdout.getvalue()
    archive = zipfile.ZipFile(out)
    assert {"index.html", "index.json"} <= set(archive.namelist())
    assert len(json.loads(archive.read("index.json"))["photos"]) == 2
    entry = AuditEntry.objects.get(action=Action.RECORD_EXPORTED)
    assert entry.user is None
    assert entry.detail["via"] == "command"
    assert list(out.parent.iterdir()) == [out]


@pytest.mark.django_db
def test_the_command_needs_the_practice_for_a_number_at_two(practice, other_practice, out):
    PatientFactory(practice=practice, nhs_number=NHS_NUMBER)
    PatientFactory(practice=other_practice, nhs_number=NHS_NUMBER)
    with pytest.raises(CommandError, match=r"more than one practice \(Y00001, Y00002\)"):
        call_command("export_patient", "9434765919", str(out))
    assert not out.exists()
    call_command("export_patient", "9434765919", str(out), "--practice", "Y00002")
    index = json.loads(zipfile.ZipFile(out).read("index.json"))
    assert index["practice"]["ods_code"] == "Y00002"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["9876543210"], "No patient with NHS number 9876543210 is registered"),
        (["not-a-number"], "is not a valid NHS number"),
        (["9434765919", "--practice", "Z99999"], "No practice has the ODS code"),
        (["9434765919", "--practice", "Y00002"], "is registered at Y00002"),
    ],
)
def test_bad_input_is_a_clear_error_and_leaves_no_file(
    practice, other_practice, out, args, message
):
    PatientFactory(practice=practice, nhs_number=NHS_NUMBER)
    nhs_number, *options = args
    with pytest.raises(CommandError, match=message):
        call_command("export_patient", nhs_number, str(out), *options)
    assert list(out.parent.iterdir()) == []
    assert not AuditEntry.objects.filter(action=Action.RECORD_EXPORTED).exists()


@pytest.mark.django_db
def test_a_missing_folder_or_an_existing_file_is_refused(practice, out):
    PatientFactory(practice=practice, nhs_number=NHS_NUMBER)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_patient", "9434765919", str(out.parent / "nowhere" / "x.zip"))
    out.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("export_patient", "9434765919", str(out))
    assert out.read_bytes() == b"keep me"


# Exit codes, as an operator sees them --------------------------------------------------------


def test_exit_codes_of_the_command(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def manage(*args):
        return run_manage(*args, env=database)

    assert manage("migrate", "--verbosity", "0").returncode == 0
    seeded = manage(
        "shell",
        "-c",
        "from clinical_photos.patients.tests.factories import PatientFactory;"
        "PatientFactory(nhs_number='9434765919', practice__ods_code='Y00001')",
    )
    assert seeded.returncode == 0, seeded.stderr
    out = tmp_path / "exports"
    out.mkdir()

    unknown = manage("export_patient", "9876543210", str(out / "a.zip"))
    assert unknown.returncode != 0
    assert "No patient with NHS number 9876543210" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    assert list(out.iterdir()) == []

    no_practice = manage("export_patient", "9434765919", str(out / "a.zip"), "--practice", "Z9")
    assert no_practice.returncode != 0
    assert "No practice has the ODS code" in no_practice.stderr
    assert list(out.iterdir()) == []

    done = manage("export_patient", "9434765919", str(out / "a.zip"))
    assert done.returncode == 0, done.stderr
    index = json.loads(zipfile.ZipFile(out / "a.zip").read("index.json"))
    assert index["patient"]["nhs_number"] == "9434765919"
    assert index["photos"] == []
