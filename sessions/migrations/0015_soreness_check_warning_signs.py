from datetime import timedelta

from django.db import migrations, models
from django.db.models import Exists, OuterRef

# The value of sessions.rules.followup.WARNING_SIGNS_WITHIN_HOURS when this migration was
# written: a migration keeps the rule as it stood, whatever the rule becomes.
WARNING_SIGNS_WITHIN_HOURS = 48


def ask_open_checks(apps, schema_editor):
    """Open follow-ups soon after a lung-risk site was needled now ask about warning signs."""
    check_model = apps.get_model("treatment_sessions", "SorenessCheck")
    site_model = apps.get_model("treatment_sessions", "TriggerPointSite")
    lung_risk = site_model.objects.filter(session=OuterRef("session"), lung_risk=True)
    open_checks = check_model.objects.filter(
        Exists(lung_risk), status__in=["scheduled", "missed"]
    ).select_related("session")
    window = timedelta(hours=WARNING_SIGNS_WITHIN_HOURS)
    for check in open_checks:
        if check.due_at <= check.session.started_at + window:
            check.asks_warning_signs = True
            check.save(update_fields=["asks_warning_signs"])


class Migration(migrations.Migration):
    dependencies = [
        ("treatment_sessions", "0014_self_reports_and_daily_logs"),
    ]

    operations = [
        migrations.AddField(
            model_name="sorenesscheck",
            name="asks_warning_signs",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="sorenesscheck",
            name="breathlessness",
            field=models.BooleanField(blank=True, null=True, verbose_name="Breathlessness"),
        ),
        migrations.AddField(
            model_name="sorenesscheck",
            name="chest_pain",
            field=models.BooleanField(blank=True, null=True, verbose_name="New chest pain"),
        ),
        migrations.AddField(
            model_name="sorenesscheck",
            name="dry_cough",
            field=models.BooleanField(blank=True, null=True, verbose_name="Dry cough"),
        ),
        migrations.AddConstraint(
            model_name="sorenesscheck",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("asks_warning_signs", True), ("status", "done"), _negated=True),
                    models.Q(
                        ("breathlessness__isnull", False),
                        ("chest_pain__isnull", False),
                        ("dry_cough__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="treatment_sessions_sorenesscheck_warning_signs_answered",
                violation_error_message=(
                    "A done follow-up that asks about warning signs needs all three answers."
                ),
            ),
        ),
        migrations.RunPython(ask_open_checks, migrations.RunPython.noop),
    ]
