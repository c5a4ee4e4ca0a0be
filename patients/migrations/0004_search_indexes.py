"""Patient search on PostgreSQL: trigram indexes for a word anywhere in a name and an index for
an MRN, matching the expressions of `PatientQuerySet.search` (`icontains` and `iexact` compare
UPPER(column::text)). Without them the search reads every active patient of the clinic.

PostgreSQL only (pg_trgm is a trusted extension: the database owner may create it); SQLite
searches the table, which is fine at the size of one clinic.
"""

from django.db import migrations

INDEXES = {
    "patient_last_name_trgm": "USING gin (UPPER(last_name::text) gin_trgm_ops)",
    "patient_first_name_trgm": "USING gin (UPPER(first_name::text) gin_trgm_ops)",
    "patient_clinic_mrn_upper": "(clinic_id, UPPER(mrn::text))",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient {definition}")
    # Statistics for the new expressions now: without them the planner walks the name index
    # for an MRN search, and autovacuum may not analyse a table that rarely changes for weeks.
    schema_editor.execute("ANALYZE patients_patient")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0003_list_and_report_indexes"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
