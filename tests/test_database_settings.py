import pytest
from django.conf import settings
from django.db import connection

from tests.test_deploy_settings import run_manage

PRINT_OPTIONS = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
POSTGRES_URL = "postgres://needletrack@db.example:5432/needletrack"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.skipif(not settings.PG_JIT_OFF, reason="left to the server here")
def test_postgresql_connections_do_not_compile_queries():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def options_of(database_url: str, jit_off: str) -> str:
    result = run_manage(
        "shell", "-c", PRINT_OPTIONS, DATABASE_URL=database_url, DJANGO_PG_JIT_OFF=jit_off
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_jit_is_turned_off_beside_the_options_of_the_database_url():
    timeout = "?options=-c%20statement_timeout%3D5000"

    assert "'options': '-c jit=off'" in options_of(POSTGRES_URL, "true")
    assert "'options': '-c statement_timeout=5000 -c jit=off'" in options_of(
        POSTGRES_URL + timeout, "true"
    )


def test_jit_can_be_left_to_the_server_for_a_pooler_that_refuses_startup_options():
    assert "options" not in options_of(POSTGRES_URL, "false")


def test_sqlite_write_transactions_wait_for_each_other_instead_of_failing():
    assert "'transaction_mode': 'IMMEDIATE'" in options_of("sqlite:///needletrack.db", "true")
