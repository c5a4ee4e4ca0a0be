"""Test data the tests build by hand (records go through tests/factories.py): import these,
never from a conftest."""

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from clinic.accounts.models import Clinic, User
from clinic.reports.selectors.base import ReportFilter
from sessions.models import ConsentMethod, Technique


def answers_with(questions_by_class, *present) -> dict[int, bool]:
    """All 'no' except the given questions."""
    chosen = {q.pk for q in present}
    return {q.pk: q.pk in chosen for group in questions_by_class.values() for q in group}


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


def session_details(**overrides) -> dict:
    details = {
        "started_at": timezone.now() - timedelta(minutes=10),
        "consent_method": ConsentMethod.WRITTEN,
        "consent_obtained": True,
        "health_unchanged": True,
        "pain_before": 6,
        "pain_after": 3,
        "needle_type": "Solid filament, guide tube",
        "clean_technique": True,
        "sharps_disposed": True,
        "needles_used": 6,
        "needles_disposed": 6,
        "notes": "",
    }
    details.update(overrides)
    return details


def site(muscle, **overrides) -> dict:
    values = {
        "muscle": muscle,
        "side": "left",
        "technique": Technique.STATIC,
        "insertions": 3,
        "twitch_response": True,
        "depth_mm": None,
        "needle_length_mm": None,
        "needle_gauge_mm": None,
        "lung_risk_acknowledged": False,
        "notes": "",
    }
    values.update(overrides)
    return values
