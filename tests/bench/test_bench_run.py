"""`bench_run --only` times the pages asked for, beside the redirect of `/` (PostgreSQL)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from bench import runner
from bench.dataset import build_dataset
from bench.pages import REDIRECT

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark measures PostgreSQL"
)


@pytest.mark.django_db
def test_only_the_pages_asked_for_are_timed_beside_the_redirect(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "RESULTS_DIR", tmp_path)
    with transaction.atomic():
        build_dataset(scale=0.003)
        call_command("bench_run", "--only", "session detail", "--repeat", "1", "--warmup", "0")
        transaction.set_rollback(True)
    rows = [line.split("  ")[0] for line in capsys.readouterr().out.splitlines()]

    assert REDIRECT in rows
    assert "session detail" in rows
    assert "patient detail" not in rows
    assert len(list(tmp_path.glob("bench-run-*.json"))) == 1


@pytest.mark.django_db
def test_an_unknown_page_name_is_refused():
    with transaction.atomic():
        build_dataset(scale=0.003)
        with pytest.raises(CommandError, match="No such page in the benchmark: patient page"):
            call_command("bench_run", "--only", "patient page", "--repeat", "1")
        transaction.set_rollback(True)
