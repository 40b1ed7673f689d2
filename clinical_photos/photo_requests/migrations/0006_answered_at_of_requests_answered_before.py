# Its own migration: on PostgreSQL, rows changed in a transaction block a later ALTER TABLE of
# the same table in that transaction, so the constraint comes after this has committed.

from django.db import migrations
from django.db.models import OuterRef, Subquery


def answered_when_the_patient_answered(apps, schema_editor):
    """Requests answered before answered_at existed take the moment of the patient's answer,
    so that the constraint added next (0007) holds for every row already there."""
    PhotoRequest = apps.get_model("photo_requests", "PhotoRequest")
    PatientResponse = apps.get_model("patient_upload", "PatientResponse")
    answered_at = PatientResponse.objects.filter(photo_request=OuterRef("pk")).values(
        "created_at"
    )[:1]
    PhotoRequest.objects.filter(status__in=["answered", "declined"]).update(
        answered_at=Subquery(answered_at)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('patient_upload', '0002_patientresponse_patient_upl_practic_54bb7e_idx'),
        ('photo_requests', '0005_link_revocation_and_answered_at'),
    ]

    operations = [
        migrations.RunPython(answered_when_the_patient_answered, migrations.RunPython.noop),
    ]
