"""What every report reads by: the filter a report is asked for, and the records it covers.

Sessions are picked by `started_at`, screenings by `taken_at`; adverse events and soreness
checks by the start of their session, so a rate's numerator and denominator cover the same
sessions.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Count, Window
from django.utils import timezone

from clinic.accounts.models import Clinic, Role, User
from patients.models import Screening
from sessions.models import NeedlingSession


@dataclass(frozen=True)
class ReportFilter:
    """A report's question: the clinic, the period (dates, inclusive, in the clinic's time
    zone) and one therapist's work (None for everyone)."""

    clinic: Clinic
    start: date
    end: date
    therapist: User | None = None

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return period_bounds(self.start, self.end)


def first_rows(queryset: models.QuerySet, limit: int | None) -> tuple[list, int | None]:
    """The first `limit` rows of a listing and how many rows it has in all, in one query
    (`COUNT(*) OVER ()`); every row and no total when `limit` is None (an export).

    The listing must hold one row per record: not `distinct()`, not sliced, not joined to a
    to-many relation, or the count would be of the joined rows."""
    if limit is None:
        return list(queryset), None
    rows = list(queryset.annotate(rows_in_all=Window(Count("*")))[:limit])
    return rows, rows[0].rows_in_all if rows else 0


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the current time zone."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def report_therapists(*, clinic: Clinic) -> models.QuerySet[User]:
    """The therapists a report can be filtered by, leavers included (their past work counts)."""
    return User.objects.for_clinic(clinic).filter(role=Role.THERAPIST)


def sessions_in_period(report_filter: ReportFilter) -> models.QuerySet[NeedlingSession]:
    low, high = report_filter.bounds
    sessions = NeedlingSession.objects.for_clinic(report_filter.clinic).filter(
        started_at__gte=low, started_at__lt=high
    )
    therapist = report_filter.therapist
    return sessions.filter(therapist=therapist) if therapist else sessions


def screenings_in_period(report_filter: ReportFilter) -> models.QuerySet[Screening]:
    low, high = report_filter.bounds
    screenings = Screening.objects.for_clinic(report_filter.clinic).filter(
        taken_at__gte=low, taken_at__lt=high
    )
    therapist = report_filter.therapist
    return screenings.filter(therapist=therapist) if therapist else screenings
