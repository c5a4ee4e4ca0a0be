from datetime import UTC, date, datetime

import pytest

from clinic.accounts.models import Clinic, User
from clinic.reports.selectors.base import ReportFilter
from tests.factories import TherapistFactory


def at(
    year: int, month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0
) -> datetime:
    """A moment in the test time zone (UTC)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def period(clinic: Clinic, start: date, end: date, therapist: User | None = None) -> ReportFilter:
    return ReportFilter(clinic=clinic, start=start, end=end, therapist=therapist)


def column(table, name: str) -> list:
    index = table.columns.index(name)
    return [row[index] for row in table.rows]


def row_of(table, first_cell: str) -> dict:
    [row] = [r for r in table.rows if str(r[0]) == first_cell]
    return dict(zip(table.columns, row, strict=True))


@pytest.fixture
def ann(clinic) -> User:
    return TherapistFactory(clinic=clinic, first_name="Ann", last_name="Able")


@pytest.fixture
def ben(clinic) -> User:
    return TherapistFactory(clinic=clinic, first_name="Ben", last_name="Baker")
