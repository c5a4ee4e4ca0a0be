import pytest
from django.db import connection

from tests.test_deploy_settings import run_manage

PRINT_OPTIONS = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
POSTGRES_URL = "postgres://needletrack@db.example:5432/needletrack"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_connections_do_not_compile_queries():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_jit_can_be_left_to_the_server_for_a_pooler_that_refuses_startup_options():
    default = run_manage("shell", "-c", PRINT_OPTIONS, DATABASE_URL=POSTGRES_URL)
    left = run_manage(
        "shell", "-c", PRINT_OPTIONS, DATABASE_URL=POSTGRES_URL, DJANGO_PG_JIT_OFF="false"
    )

    assert "'options': '-c jit=off'" in default.stdout, default.stderr
    assert "options" not in left.stdout, left.stderr
