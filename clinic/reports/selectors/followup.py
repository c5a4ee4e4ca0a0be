"""The follow-up compliance report's figures: soreness checks of the period's sessions, and
the escalations still open."""

from django.db import models
from django.db.models import Count, F, Q

from clinic.accounts.models import Clinic, User
from sessions.models import AdverseEvent, CheckStatus, ContactMethod, SorenessCheck, Timeliness

from .base import ReportFilter, sessions_in_period


def _compliance_counts() -> dict[str, models.Aggregate]:
    done = Q(status=CheckStatus.DONE)
    return {
        "checks": Count("pk"),
        "on_time": Count("pk", filter=done & Q(timeliness=Timeliness.ON_TIME)),
        "early": Count("pk", filter=done & Q(timeliness=Timeliness.EARLY)),
        "late": Count("pk", filter=done & Q(timeliness=Timeliness.LATE)),
        "missed": Count("pk", filter=Q(status=CheckStatus.MISSED)),
        "pending": Count("pk", filter=Q(status=CheckStatus.SCHEDULED)),
        "closed": Count("pk", filter=Q(status=CheckStatus.CLOSED)),
        # Done checks by who recorded them: staff (call, visit, message) or the patient's link.
        "by_staff": Count("pk", filter=done & ~Q(method=ContactMethod.SELF_REPORT)),
        "self_reported": Count("pk", filter=done & Q(method=ContactMethod.SELF_REPORT)),
    }


def _checks_in_period(report_filter: ReportFilter) -> models.QuerySet[SorenessCheck]:
    return SorenessCheck.objects.filter(session__in=sessions_in_period(report_filter).values("pk"))


def followup_compliance_by_therapist(report_filter: ReportFilter) -> models.QuerySet:
    return (
        _checks_in_period(report_filter)
        .values("session__therapist_id", "session__therapist__first_name")
        .annotate(therapist_last_name=F("session__therapist__last_name"), **_compliance_counts())
        .order_by("therapist_last_name", "session__therapist__first_name", "session__therapist_id")
    )


def followup_compliance_totals(report_filter: ReportFilter) -> dict[str, int]:
    return _checks_in_period(report_filter).aggregate(**_compliance_counts())


def open_escalations(*, clinic: Clinic, therapist: User | None) -> models.QuerySet[AdverseEvent]:
    """Escalations still waiting to be confirmed or dismissed (today, whatever the period)."""
    events = AdverseEvent.objects.for_clinic(clinic).drafts()
    if therapist:
        events = events.filter(session__therapist=therapist)
    return events.select_related(
        "session__patient", "session__therapist", "escalated_from"
    ).order_by("onset_at", "pk")
