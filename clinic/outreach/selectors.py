"""What the therapist's worklist reads about patients' links: their answers and alerts."""

from datetime import datetime, timedelta

from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from sessions.models import (
    AdherenceEntry,
    CheckStatus,
    ContactMethod,
    ExerciseLog,
    SorenessCheck,
    StrengtheningPlan,
)
from sessions.models.adherence import EntrySource

from .models import PatientLink
from .rules import NO_LOG_ALERT_AFTER, PAIN_DURING_ALERT, SELF_REPORTS_SHOWN_FOR

WORKLIST_ROWS = 25


def recent_self_reports(*, clinic, now: datetime) -> list[SorenessCheck]:
    """Soreness checks the clinic's patients answered themselves lately, newest first."""
    return list(
        SorenessCheck.objects.for_clinic(clinic)
        .filter(
            status=CheckStatus.DONE,
            method=ContactMethod.SELF_REPORT,
            done_at__gte=now - SELF_REPORTS_SHOWN_FOR,
        )
        .select_related("session__patient")
        .order_by("-done_at", "-pk")[:WORKLIST_ROWS]
    )


def exercise_alerts(*, clinic, now: datetime) -> list[StrengtheningPlan]:
    """Active plans logged by link whose patient reported pain during >= 7 in the last week,
    or has not logged for a week (since the link was sent, if never). One query.

    Each plan carries `last_log` (a date or None) and `worst_pain` (the last week's)."""
    since = timezone.localdate(now) - timedelta(days=NO_LOG_ALERT_AFTER.days)
    patient_logs = AdherenceEntry.objects.filter(
        plan=OuterRef("pk"), source=EntrySource.PATIENT_LOG
    )
    worst_pain = (
        ExerciseLog.objects.filter(
            entry__plan=OuterRef("pk"),
            entry__source=EntrySource.PATIENT_LOG,
            entry__date__gt=since,
        )
        .order_by()
        .values("entry__plan")
        .annotate(worst=Max("pain_during"))
        .values("worst")
    )
    links = PatientLink.objects.filter(plan=OuterRef("pk"))
    return list(
        StrengtheningPlan.objects.for_clinic(clinic)
        .active()
        .filter(Exists(links.filter(revoked_at__isnull=True)))
        .annotate(
            last_log=Subquery(patient_logs.order_by("-date").values("date")[:1]),
            worst_pain=Subquery(worst_pain),
            first_link_at=Subquery(links.order_by("created_at").values("created_at")[:1]),
        )
        .filter(
            Q(worst_pain__gte=PAIN_DURING_ALERT)
            | Q(last_log__lte=since)
            | Q(last_log__isnull=True, first_link_at__lte=now - NO_LOG_ALERT_AFTER)
        )
        .select_related("patient")
        .order_by("patient__last_name", "pk")[:WORKLIST_ROWS]
    )
