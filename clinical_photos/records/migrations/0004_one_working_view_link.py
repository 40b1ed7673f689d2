from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0003_older_view_links_replaced"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='patientviewlink',
            constraint=models.UniqueConstraint(condition=models.Q(('replaced_at__isnull', True), ('revoked_at__isnull', True)), fields=('patient', 'body_site_code'), name='one_current_view_link_per_patient_and_site'),
        ),
        migrations.AddConstraint(
            model_name='patientviewlink',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('revoked_at__isnull', True), ('revoked_by__isnull', True)), models.Q(('revoked_at__isnull', False), ('revoked_by__isnull', False)), _connector='OR'), name='patient_view_link_revoked_by_someone'),
        ),
    ]
