"""Subject access: the zip, its two indexes, the viewers, the audit entry and the manager's page."""

import hashlib
import io
import json
import re
import uuid
import zipfile
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinical_photos.accounts.models import Role
from clinical_photos.accounts.tests.factories import UserFactory
from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.audit.services import record
from clinical_photos.patients.tests.factories import PatientFactory
from clinical_photos.photo_requests.tests.factories import HAND, KNEE
from clinical_photos.photos import storage
from clinical_photos.photos.models import Photo
from clinical_photos.records.subject_access import services as export_services
from clinical_photos.records.tests.factories import file_photos, on
from conftest import logged_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_with_history(patient, clinician, admin_user):
    """Two hand photos viewed by staff, a knee photo entered in error and one removed."""
    hand = file_photos(
        by=clinician, patient=patient, body_site=HAND, sent_on=on(2025, 3, 7), condition="Eczema"
    )
    knee = file_photos(
        by=clinician,
        patient=patient,
        body_site=KNEE,
        sent_on=on(2025, 4, 2),
        labels=("close_up", "close_up"),
    )
    record(Action.PHOTO_VIEWED, user=clinician, target=hand[0], detail={"preview": False})
    record(Action.PHOTO_VIEWED, user=clinician, target=hand[0], detail={"preview": True})
    record(Action.PHOTO_VIEWED, user=admin_user, target=hand[1], detail={"preview": False})
    Photo.objects.filter(pk=knee[0].pk).update(
        entered_in_error_at=on(2025, 4, 3), entered_in_error_by=clinician
    )
    storage.destroy_photo_key(knee[1])
    Photo.objects.filter(pk=knee[1].pk).update(
        removed_at=on(2025, 4, 4), removed_by=clinician, removal_reason="The wrong person"
    )
    return {"hand": hand, "knee": knee}


def export_zip(patient) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    export_services.write_export(buffer, patient, exported_by=None)
    buffer.seek(0)
    return zipfile.ZipFile(buffer)


# The zip itself ----------------------------------------------------------------------------


def test_every_readable_photo_is_in_the_zip_with_its_stored_bytes(patient, record_with_history):
    archive = export_zip(patient)
    index = json.loads(archive.read("index.json"))
    photos = {p.id: p for p in Photo.objects.filter(patient=patient)}
    files = [entry for entry in index["photos"] if entry["file"]]
    assert len(index["photos"]) == 4
    assert len(files) == 3  # the removed photo has no bytes
    for entry in files:
        data = archive.read(entry["file"])
        stored = photos[uuid.UUID(entry["id"])]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] == stored.sha256
        assert entry["size"] == len(data)


def test_files_are_named_by_date_site_label_and_number(patient, record_with_history):
    names = {n for n in export_zip(patient).namelist() if n.startswith("photos/")}
    assert names == {
        "photos/2025-03-07_hand_where-it-is_1.jpg",
        "photos/2025-03-07_hand_close-up_2.jpg",
        "photos/2025-04-02_knee_close-up_3.jpg",
    }


def test_the_json_index_says_what_each_photo_is_and_who_viewed_it(
    patient, record_with_history, clinician, admin_user, practice
):
    index = json.loads(export_zip(patient).read("index.json"))
    assert index["patient"]["nhs_number"] == patient.nhs_number
    assert index["practice"] == {"name": practice.name, "ods_code": practice.ods_code}
    first = index["photos"][0]
    assert first["body_site"]["code"] == HAND
    assert first["body_site"]["label"] == "Hand"
    assert first["condition"] == "Eczema"
    assert first["label"] == {"code": "where", "text": "Where it is"}
    assert first["request"]["kind"] == "Rash"
    assert first["request"]["asked_by"] == {"name": clinician.full_name, "role": "Clinician"}
    assert first["filed"]["by"]["name"] == clinician.full_name
    assert [(v["name"], v["role"], v["preview"]) for v in first["viewed_by"]] == [
        (clinician.full_name, "Clinician", False),
        (clinician.full_name, "Clinician", True),
    ]
    assert index["photos"][1]["viewed_by"][0]["name"] == admin_user.full_name
    assert index["photos"][1]["viewed_by"][0]["role"] == "Admin team"
    assert all(v["at"] for v in first["viewed_by"])


def test_removed_and_in_error_photos_are_listed_as_tombstones(
    patient, record_with_history, clinician
):
    archive = export_zip(patient)
    index = json.loads(archive.read("index.json"))
    by_status = {entry["status"]: entry for entry in index["photos"]}
    removed = by_status["removed"]
    assert removed["file"] is None and removed["sha256"] is None
    assert removed["removed"]["by"] == {"name": clinician.full_name, "role": "Clinician"}
    assert removed["removed"]["reason"] == "The wrong person"
    assert removed["removed"]["at"].startswith("2025-04-04")
    in_error = by_status["entered_in_error"]
    assert in_error["file"]  # still in the record, marked as a mistake
    assert in_error["entered_in_error"]["by"]["name"] == clinician.full_name
    html = archive.read("index.html").decode()
    assert "Removed from the record" in html
    assert "The wrong person" in html
    assert "Entered in error" in html


def test_the_html_index_is_plain_and_self_contained(patient, record_with_history, clinician):
    html = export_zip(patient).read("index.html").decode()
    assert not re.search(r"https?://", html)
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']//""", html)
    assert patient.full_name in html
    assert "943 476 5919" in html
    assert "Eczema" in html
    assert clinician.full_name in html
    assert 'src="photos/2025-03-07_hand_where-it-is_1.jpg"' in html


def test_a_patient_with_no_photos_gets_a_zip_that_says_so(patient):
    archive = export_zip(patient)
    assert sorted(archive.namelist()) == ["index.html", "index.json"]
    assert json.loads(archive.read("index.json"))["photos"] == []
    assert "There are no photos in this record" in archive.read("index.html").decode()


def test_a_photo_that_fails_its_check_is_listed_not_included(patient, clinician, caplog):
    photos = file_photos(by=clinician, patient=patient)
    storage.BlobStore().path(photos[0].blob_name).write_bytes(b"changed")
    archive = export_zip(patient)
    index = json.loads(archive.read("index.json"))
    assert [e["status"] for e in index["photos"]] == ["unreadable", "filed"]
    assert index["photos"][0]["file"] is None
    assert len([n for n in archive.namelist() if n.startswith("photos/")]) == 1
    assert "ALERT photo integrity" in caplog.text


def test_another_patients_photos_are_never_in_the_zip(patient, practice, clinician):
    other = PatientFactory(practice=practice, nhs_number="9876543210", given_name="Grace")
    file_photos(by=clinician, patient=other)
    file_photos(by=clinician, patient=patient, labels=("where",))
    index = json.loads(export_zip(patient).read("index.json"))
    assert len(index["photos"]) == 1


# Finding the patient -----------------------------------------------------------------------


def test_find_patient_needs_a_practice_when_the_number_is_at_two(patient, other_practice):
    PatientFactory(practice=other_practice, nhs_number=patient.nhs_number)
    with pytest.raises(export_services.ExportError, match="more than one practice"):
        export_services.find_patient("943 476 5919")
    found = export_services.find_patient("943 476 5919", "y00001")
    assert found == patient


@pytest.mark.parametrize(
    ("number", "ods", "message"),
    [
        ("9876543210", None, "No patient with NHS number 9876543210"),
        ("1234567890", None, "not a valid NHS number"),
        ("", None, "not a valid NHS number"),
        ("9434765919", "Z99999", "No practice has the ODS code"),
    ],
)
def test_find_patient_says_clearly_what_is_wrong(patient, number, ods, message):
    with pytest.raises(export_services.ExportError, match=message):
        export_services.find_patient(number, ods)


# Writing the file --------------------------------------------------------------------------


def test_export_to_path_writes_atomically_and_records_one_entry(patient, clinician, tmp_path):
    file_photos(by=clinician, patient=patient)
    folder = tmp_path / "exports"
    folder.mkdir()
    destination = folder / "out.zip"
    summary = export_services.export_to_path(patient, destination)
    assert summary.files == 2
    assert zipfile.ZipFile(destination).testzip() is None
    assert [p.name for p in folder.iterdir()] == ["out.zip"]
    assert destination.stat().st_mode & 0o077 == 0  # personal data: the owner's alone
    entry = AuditEntry.objects.get(action=Action.RECORD_EXPORTED)
    assert entry.user is None
    assert entry.detail["via"] == "command"
    assert entry.object_id == str(patient.id)


def test_export_to_path_never_replaces_a_file(patient, tmp_path):
    destination = tmp_path / "out.zip"
    destination.write_bytes(b"someone else's export")
    with pytest.raises(export_services.ExportError, match="already exists"):
        export_services.export_to_path(patient, destination)
    assert destination.read_bytes() == b"someone else's export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.zip"]
    assert not AuditEntry.objects.filter(action=Action.RECORD_EXPORTED).exists()


def test_a_failure_while_writing_leaves_no_file_and_no_entry(
    patient, clinician, tmp_path, monkeypatch
):
    file_photos(by=clinician, patient=patient)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(export_services, "render_to_string", broken)
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(OSError, match="disk full"):
        export_services.export_to_path(patient, folder / "out.zip")
    assert list(folder.iterdir()) == []
    assert not AuditEntry.objects.filter(action=Action.RECORD_EXPORTED).exists()


# The practice manager's page ---------------------------------------------------------------


def test_a_manager_sees_what_the_export_holds(manager_client, patient, record_with_history):
    response = manager_client.get(reverse("export:patient", args=[patient.id]))
    assert response.status_code == 200
    page = response.page
    assert page.h1 == f"Export {patient.full_name}'s photos"
    body = response.page.text
    assert "Download the export" in body
    assert not AuditEntry.objects.filter(action=Action.RECORD_EXPORTED).exists()


def test_none_removed_or_in_error_reads_0_not_blank(manager_client, patient, clinician):
    file_photos(by=clinician, patient=patient)
    page = manager_client.get(reverse("export:patient", args=[patient.id])).page
    counts = page.summary_list()
    assert counts["Photos in the record"] == "2"
    assert counts["Removed from the record"] == "0"
    assert counts["Marked entered in error"] == "0"


def test_a_patient_with_no_photos_reads_0_photos(manager_client, patient):
    page = manager_client.get(reverse("export:patient", args=[patient.id])).page
    assert page.summary_list()["Photos in the record"] == "0"


def test_a_manager_downloads_the_zip_and_one_entry_is_written(
    manager_client, manager, patient, record_with_history
):
    response = manager_client.post(reverse("export:patient", args=[patient.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"photos-subject-access-{patient.nhs_number}-" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    index = json.loads(archive.read("index.json"))
    assert len(index["photos"]) == 4
    assert index["exported_by"] == {"name": manager.full_name, "role": "Practice manager"}
    entry = AuditEntry.objects.get(action=Action.RECORD_EXPORTED)
    assert entry.user == manager
    assert entry.detail == {"via": "web", "photos": 4, "files": 3, "removed": 1, "unreadable": 0}
    assert patient.nhs_number not in json.dumps(entry.detail)


@pytest.mark.parametrize("client_fixture", ["clinician_client", "admin_team_client"])
def test_only_practice_managers_may_export(request, client_fixture, patient):
    client = request.getfixturevalue(client_fixture)
    url = reverse("export:patient", args=[patient.id])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not AuditEntry.objects.filter(action=Action.RECORD_EXPORTED).exists()


def test_another_practices_manager_gets_not_found(other_practice, patient):
    other_manager = UserFactory(practice=other_practice, role=Role.PRACTICE_MANAGER)
    client = logged_in_client(other_manager)
    url = reverse("export:patient", args=[patient.id])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_an_unknown_patient_is_not_found_not_an_error(manager_client):
    response = manager_client.post(reverse("export:patient", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_logged_out_visitors_are_sent_to_log_in(client, patient):
    response = client.get(reverse("export:patient", args=[patient.id]))
    assert response.status_code == 302
    assert "/account/" in response["Location"] or "login" in response["Location"]


def test_viewings_are_listed_in_time_order(patient, clinician, admin_user):
    photos = file_photos(by=clinician, patient=patient, labels=("where",))
    for user in (admin_user, clinician, admin_user):
        record(Action.PHOTO_VIEWED, user=user, target=photos[0])
    index = json.loads(export_zip(patient).read("index.json"))
    viewers = index["photos"][0]["viewed_by"]
    assert [v["name"] for v in viewers] == [
        admin_user.full_name,
        clinician.full_name,
        admin_user.full_name,
    ]
    times = [v["at"] for v in viewers]
    assert times == sorted(times)
    assert timezone.now() - timedelta(minutes=5) < datetime.fromisoformat(times[0])
