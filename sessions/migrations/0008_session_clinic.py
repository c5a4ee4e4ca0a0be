"""Needling sessions carry their patient's clinic (copied; a patient never changes clinic), so
a clinic's sessions of a period come from one index: the reports no longer read every clinic's
sessions of the period and keep those whose patient is of the clinic."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
    UPDATE treatment_sessions_needlingsession SET clinic_id = (
        SELECT p.clinic_id FROM patients_patient p
        WHERE p.id = treatment_sessions_needlingsession.patient_id
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_clinic_soreness_check_hours"),
        ("treatment_sessions", "0007_followup_check_clinic"),
    ]

    operations = [
        migrations.AddField(
            model_name="needlingsession",
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
            model_name="needlingsession",
            name="clinic",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.clinic",
            ),
        ),
        migrations.RemoveIndex(model_name="needlingsession", name="session_started"),
        migrations.AddIndex(
            model_name="needlingsession",
            index=models.Index(fields=["clinic", "started_at"], name="session_clinic_started"),
        ),
    ]
