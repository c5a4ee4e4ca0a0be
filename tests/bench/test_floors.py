"""The benchmark's hand-written SQL floors run against the current schema (PostgreSQL): a
migration that a floor does not follow fails here, not in the middle of a benchmark run."""

import psycopg
import pytest
from django.db import connection, transaction

from bench.dataset import build_dataset
from bench.pages import Subjects, main_pages, report_pages

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the floors are PostgreSQL SQL"
)


@pytest.mark.django_db
def test_every_floor_runs_on_the_benchmark_dataset():
    with transaction.atomic():
        build_dataset(scale=0.003)
        subjects = Subjects.find()
        pages = main_pages(subjects) + report_pages(subjects)
        cursor = psycopg.ClientCursor(connection.connection)
        ran = []
        for page in pages:
            if page.floor is not None:
                page.floor(cursor)
                ran.append(page.name)
        transaction.set_rollback(True)

    assert {"patient list", "patient detail", "new session (POST)", "therapist worklist"} <= set(
        ran
    )
