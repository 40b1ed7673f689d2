# Its own migration: on PostgreSQL, rows changed in a transaction can block a later ALTER TABLE
# of the same table in that transaction, so the constraints come after this has committed.

from django.db import migrations
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def answered_when_the_patient_answered(apps, schema_editor):
    """Requests answered before answered_at existed take the moment of the patient's answer,
    so that the constraint added next (0007) holds for every row already there."""
    PhotoRequest = apps.get_model("photo_requests", "PhotoRequest")
    PatientResponse = apps.get_model("patient_upload", "PatientResponse")
    answered_at = PatientResponse.objects.filter(photo_request=OuterRef("pk")).values(
        "created_at"
    )[:1]
    # A request marked answered with no answer row (made by hand) takes the moment it was made.
    PhotoRequest.objects.filter(status__in=["answered", "declined"]).update(
        answered_at=Coalesce(Subquery(answered_at), F("created_at"))
    )


def only_the_newest_link_current(apps, schema_editor):
    """Sending a request again has always replaced its link, but a request with two current
    links (two sends racing) keeps only the newest, so that the one-working-link constraint
    (0007) holds for every row already there."""
    PatientLink = apps.get_model("photo_requests", "PatientLink")
    newest: dict = {}
    current = PatientLink.objects.filter(replaced_at=None)
    for link in current.order_by("-created_at"):
        if link.photo_request_id in newest:
            replaced_at = newest[link.photo_request_id].created_at
            PatientLink.objects.filter(pk=link.pk).update(replaced_at=replaced_at)
        else:
            newest[link.photo_request_id] = link


class Migration(migrations.Migration):

    dependencies = [
        ('patient_upload', '0002_patientresponse_patient_upl_practic_54bb7e_idx'),
        ('photo_requests', '0005_link_revocation_and_answered_at'),
    ]

    operations = [
        migrations.RunPython(answered_when_the_patient_answered, migrations.RunPython.noop),
        migrations.RunPython(only_the_newest_link_current, migrations.RunPython.noop),
    ]
