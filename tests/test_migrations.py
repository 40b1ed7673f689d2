"""A service already running upgrades in place: the migrations that add the link and request
invariants first bring the rows already there into line with them (a request answered before
answered_at existed, a patient sent several view links for one body site, a request with two
current links), then add the constraints."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("accounts", "0001_initial"),
    ("audit", "0003_alter_auditentry_action"),
    ("messaging", "0002_staffemail"),
    ("patient_upload", "0002_patientresponse_patient_upl_practic_54bb7e_idx"),
    ("photo_requests", "0004_photorequest_photo_reque_practic_05dd8e_idx"),
    ("photos", "0003_photo_preview"),
    ("records", "0001_initial"),
]


@pytest.fixture
def old_service(transactional_db):
    """The database as it was before these migrations, handed over as its historical models;
    migrated forward to the latest again afterwards, whatever the test did."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    call_command("migrate", verbosity=0)


def test_rows_already_there_are_brought_into_line_before_the_constraints(old_service):
    apps, now = old_service, timezone.now()
    practice = apps.get_model("accounts", "Practice").objects.create(name="P", ods_code="Y1")
    user = apps.get_model("accounts", "User").objects.create(
        email="gp@p.test", full_name="GP", practice=practice, role="clinician", password="!"
    )
    patient = apps.get_model("patients", "Patient").objects.create(
        practice=practice,
        nhs_number="9434765919",
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=date(1980, 1, 1),
        mobile="+447700900123",
    )
    template = apps.get_model("photo_requests", "RequestTemplate").objects.create(
        practice=practice, name="Rash", patient_message="Show us"
    )
    answered = apps.get_model("photo_requests", "PhotoRequest").objects.create(
        practice=practice,
        patient=patient,
        requested_by=user,
        template=template,
        reason="Show us",
        status="answered",
    )
    links = apps.get_model("photo_requests", "PatientLink").objects
    older = links.create(
        photo_request=answered, token_sha256="a" * 64, expires_at=now, created_at=now - timedelta(2)
    )
    newer = links.create(
        photo_request=answered, token_sha256="b" * 64, expires_at=now, created_at=now - timedelta(1)
    )
    answered_at = now - timedelta(hours=5)
    apps.get_model("patient_upload", "PatientResponse").objects.create(
        practice=practice,
        photo_request=answered,
        link=newer,
        kind="photos",
        consent_version="2026-11-25.1",
        created_at=answered_at,
    )
    view_links = apps.get_model("records", "PatientViewLink").objects
    # Stopped by hand, before there was a page to do it (and a column to say who did).
    stopped = view_links.create(
        practice=practice,
        patient=patient,
        body_site_code="72696002",
        token_sha256="s" * 64,
        created_by=user,
        expires_at=now,
        revoked_at=now - timedelta(hours=1),
    )
    # Marked answered by hand, with no answer row to take the moment from.
    marked = apps.get_model("photo_requests", "PhotoRequest").objects.create(
        practice=practice,
        patient=patient,
        requested_by=user,
        template=template,
        reason="Show us",
        status="declined",
    )
    for days in (0, 1, 2):
        view_links.create(
            practice=practice,
            patient=patient,
            body_site_code="85562004",
            token_sha256=str(days) * 64,
            created_by=user,
            expires_at=now,
            created_at=now - timedelta(days),
        )

    call_command("migrate", verbosity=0)

    from clinical_photos.photo_requests.models import PatientLink, PhotoRequest
    from clinical_photos.records.models import PatientViewLink

    assert PhotoRequest.objects.get(pk=answered.pk).answered_at == answered_at
    assert list(PatientLink.objects.current().values_list("pk", flat=True)) == [newer.pk]
    assert PatientLink.objects.get(pk=older.pk).replaced_at == newer.created_at
    [working] = PatientViewLink.objects.current()
    assert working.created_at == max(
        link.created_at for link in PatientViewLink.objects.filter(body_site_code="85562004")
    )
    assert PatientViewLink.objects.get(pk=stopped.pk).revoked_by_id == user.pk
    marked = PhotoRequest.objects.get(pk=marked.pk)
    assert marked.answered_at == marked.created_at
