"""The checklist asked so far becomes version 1, and every saved screening was taken with it."""

import datetime

from django.db import migrations

VERSION_1_INTRODUCED = datetime.date(2025, 1, 1)


def number_version_1(apps, schema_editor):
    version_model = apps.get_model("patients", "ChecklistVersion")
    version, _ = version_model.objects.get_or_create(
        number=1,
        defaults={
            "introduced_on": VERSION_1_INTRODUCED,
            "summary": "The first checklist: red flags, absolute and relative contraindications.",
        },
    )
    apps.get_model("patients", "ScreeningQuestion").objects.filter(version=None).update(
        version=version
    )
    apps.get_model("patients", "Screening").objects.filter(checklist_version=None).update(
        checklist_version=version
    )


class Migration(migrations.Migration):
    dependencies = [("patients", "0006_checklist_versions")]

    operations = [migrations.RunPython(number_version_1, migrations.RunPython.noop)]
