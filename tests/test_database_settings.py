"""PostgreSQL connections reuse the plans of the queries they repeat (prepared statements)."""

import pytest
from django.db import connection

from patients.models import Patient
from tests.test_deploy_settings import run_manage

PRINT_OPTIONS = "from django.db import connection; print(connection.settings_dict['OPTIONS'])"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/needletrack"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_query_run_again_and_again_is_prepared_once():
    for _ in range(6):
        Patient.objects.filter(mrn="NOT-THERE").exists()

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]

    assert any(
        'FROM "patients_patient"' in statement and '"patients_patient"."mrn" = $' in statement
        for statement in prepared
    ), prepared


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler():
    default = run_manage("shell", "-c", PRINT_OPTIONS, DATABASE_URL=POSTGRES_URL)
    off = run_manage(
        "shell",
        "-c",
        PRINT_OPTIONS,
        DATABASE_URL=POSTGRES_URL,
        DJANGO_DB_PREPARED_STATEMENTS="false",
    )

    assert "'server_side_binding': True" in default.stdout, default.stderr
    assert "server_side_binding" not in off.stdout, off.stderr
