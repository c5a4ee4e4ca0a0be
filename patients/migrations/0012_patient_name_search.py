"""Name search folds case and accents: each patient keeps `search_name`, filled here for the
patients already on record. On PostgreSQL a trigram index on it replaces the two on the
upper-cased names, which the search no longer reads."""

from django.db import migrations

import patients.search

OLD_INDEXES = {
    "patient_last_name_trgm": "USING gin (UPPER(last_name::text) gin_trgm_ops)",
    "patient_first_name_trgm": "USING gin (UPPER(first_name::text) gin_trgm_ops)",
}
NEW_INDEX = "patient_search_name_trgm"


def backfill(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    patients = list(Patient.objects.only("pk", "first_name", "last_name"))
    for patient in patients:
        patient.search_name = patients_fold(patient)
    Patient.objects.bulk_update(patients, ["search_name"], batch_size=1000)


def patients_fold(patient) -> str:
    return patients.search.fold(f"{patient.first_name} {patient.last_name}")


def swap_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NEW_INDEX} ON patients_patient "
        "USING gin (search_name gin_trgm_ops)"
    )
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("ANALYZE patients_patient")


def restore_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in OLD_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient {definition}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {NEW_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0011_patient_contact_consent"),
    ]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="search_name",
            field=patients.search.NameSearchField(default="", editable=False, max_length=220),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(swap_indexes, restore_indexes),
    ]
