"""The safety report's figures: confirmed adverse events against the period's sessions."""

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from sessions.models import AdverseEvent, EventStatus, Severity

from .base import ReportFilter, sessions_in_period

CONFIRMED = Q(adverse_events__status=EventStatus.CONFIRMED)
CONFIRMED_MAJOR = CONFIRMED & Q(adverse_events__severity=Severity.MAJOR)
CONFIRMED_MILD = CONFIRMED & Q(adverse_events__severity=Severity.MILD)
CONFIRMED_SERIOUS = CONFIRMED & Q(adverse_events__severity__in=[Severity.MODERATE, Severity.MAJOR])


def _safety_counts() -> dict[str, models.Aggregate]:
    return {
        "sessions": Count("pk", distinct=True),
        "events": Count("adverse_events", filter=CONFIRMED),
        "sessions_with_event": Count("pk", filter=CONFIRMED, distinct=True),
        "major_events": Count("adverse_events", filter=CONFIRMED_MAJOR),
        "sessions_with_major": Count("pk", filter=CONFIRMED_MAJOR, distinct=True),
    }


def safety_totals(report_filter: ReportFilter) -> dict[str, int]:
    """Sessions, confirmed events and sessions with at least one (any, mild, moderate or
    major, major)."""
    return sessions_in_period(report_filter).aggregate(
        **_safety_counts(),
        mild_events=Count("adverse_events", filter=CONFIRMED_MILD),
        sessions_with_mild=Count("pk", filter=CONFIRMED_MILD, distinct=True),
        serious_events=Count("adverse_events", filter=CONFIRMED_SERIOUS),
        sessions_with_serious=Count("pk", filter=CONFIRMED_SERIOUS, distinct=True),
    )


def adverse_events_by_type(report_filter: ReportFilter) -> models.QuerySet:
    """Confirmed events per type: by severity, and how many sessions had one."""
    return (
        AdverseEvent.objects.confirmed()
        .filter(session__in=sessions_in_period(report_filter).values("pk"))
        .values("event_type")
        .annotate(
            events=Count("pk"),
            sessions=Count("session", distinct=True),
            mild=Count("pk", filter=Q(severity=Severity.MILD)),
            moderate=Count("pk", filter=Q(severity=Severity.MODERATE)),
            major=Count("pk", filter=Q(severity=Severity.MAJOR)),
        )
        .order_by("-events", "event_type")
    )


def safety_by_therapist(report_filter: ReportFilter) -> models.QuerySet:
    return (
        sessions_in_period(report_filter)
        .values("therapist_id", "therapist__first_name", "therapist__last_name")
        .annotate(**_safety_counts())
        .order_by("therapist__last_name", "therapist__first_name", "therapist_id")
    )


def safety_by_month(report_filter: ReportFilter) -> models.QuerySet:
    """Sessions and sessions with a confirmed event per calendar month (months with sessions)."""
    return (
        sessions_in_period(report_filter)
        .annotate(month=TruncMonth("started_at"))
        .values("month")
        .annotate(**_safety_counts())
        .order_by("month")
    )
