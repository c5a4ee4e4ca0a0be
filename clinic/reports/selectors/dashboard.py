"""The clinic admin's dashboard: what needs attention now, whatever the period."""

from datetime import datetime, timedelta

from django.db import models

from clinic.accounts.models import Clinic
from sessions.models import AdverseEvent, SorenessCheck

MAJOR_EVENTS_SHOWN_FOR = timedelta(days=365)


def recent_major_events(*, clinic: Clinic, now: datetime) -> models.QuerySet[AdverseEvent]:
    """Confirmed major adverse events with an onset in the last MAJOR_EVENTS_SHOWN_FOR."""
    return (
        AdverseEvent.objects.for_clinic(clinic)
        .major()
        .filter(onset_at__gte=now - MAJOR_EVENTS_SHOWN_FOR)
        .select_related("session__patient", "session__therapist")
    )


def urgent_escalations(*, clinic: Clinic) -> models.QuerySet[AdverseEvent]:
    """Open major drafts: warning signs after lung-risk needling, shown before anything else."""
    return AdverseEvent.objects.for_clinic(clinic).urgent_drafts()


def open_escalation_count(*, clinic: Clinic) -> int:
    """Escalations (draft adverse events) waiting to be confirmed or dismissed."""
    return AdverseEvent.objects.for_clinic(clinic).drafts().count()


def overdue_followup_count(*, clinic: Clinic, now: datetime) -> int:
    return SorenessCheck.objects.for_clinic(clinic).overdue(now).count()
