# Its own migration: the constraint in 0004 is added after these rows have changed.

from django.db import migrations


def older_links_replaced(apps, schema_editor):
    """Before links could be replaced, a patient could be sent several for one body site; the
    newest is the one to use, and the others become replaced by it, so that the one-working-
    link constraint (0004) holds for every row already there."""
    PatientViewLink = apps.get_model("records", "PatientViewLink")
    newest: dict[tuple, object] = {}
    current = PatientViewLink.objects.filter(replaced_at=None, revoked_at=None)
    for link in current.order_by("-created_at"):
        key = (link.patient_id, link.body_site_code)
        if key in newest:
            PatientViewLink.objects.filter(pk=link.pk).update(replaced_at=newest[key].created_at)
        else:
            newest[key] = link


def revoked_by_whoever_sent_them(apps, schema_editor):
    """Before there was a page to stop a link, the only way was to set revoked_at by hand. Who
    did is not known; the clinician who sent the link is named, so that the constraint that a
    stopped link names who stopped it (0004) holds for every row already there."""
    PatientViewLink = apps.get_model("records", "PatientViewLink")
    for link in PatientViewLink.objects.filter(revoked_at__isnull=False, revoked_by=None):
        PatientViewLink.objects.filter(pk=link.pk).update(revoked_by=link.created_by_id)


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0002_patient_view_link_replaced_and_revoked"),
    ]

    operations = [
        migrations.RunPython(older_links_replaced, migrations.RunPython.noop),
        migrations.RunPython(revoked_by_whoever_sent_them, migrations.RunPython.noop),
    ]
