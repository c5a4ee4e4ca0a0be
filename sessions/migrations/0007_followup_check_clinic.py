"""Follow-up checks carry their patient's clinic (copied; a patient never changes clinic), so
a clinic's open checks come from one index: the worklist and the navigation count no longer
join every recent check of every clinic to its session and patient."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
    UPDATE treatment_sessions_sorenesscheck SET clinic_id = (
        SELECT p.clinic_id
        FROM treatment_sessions_needlingsession s
        JOIN patients_patient p ON p.id = s.patient_id
        WHERE s.id = treatment_sessions_sorenesscheck.session_id
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_clinic_soreness_check_hours"),
        ("treatment_sessions", "0006_report_period_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="sorenesscheck",
            name="clinic",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.clinic",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="sorenesscheck",
            name="clinic",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.clinic",
            ),
        ),
        migrations.AddIndex(
            model_name="sorenesscheck",
            index=models.Index(
                fields=["clinic", "status", "due_at"], name="check_clinic_status_due"
            ),
        ),
    ]
