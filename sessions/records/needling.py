"""Needling records in a patient's audit history and record export."""

from clinic.audit.export import export_section
from clinic.audit.selectors import patient_record_collector
from patients.models import Patient

from ..models import (
    AdverseEvent,
    NeedlingSession,
    SessionAddendum,
    SorenessCheck,
    TriggerPointSite,
)


@patient_record_collector
def needling_records(patient: Patient):
    return [
        (NeedlingSession, NeedlingSession.objects.filter(patient=patient)),
        (TriggerPointSite, TriggerPointSite.objects.filter(session__patient=patient)),
        (SessionAddendum, SessionAddendum.objects.filter(session__patient=patient)),
        (SorenessCheck, SorenessCheck.objects.filter(session__patient=patient)),
        (AdverseEvent, AdverseEvent.objects.filter(session__patient=patient)),
    ]


def _site(site) -> dict:
    return {
        "muscle": site.muscle.name,
        "side": site.get_side_display(),
        "technique": site.get_technique_display(),
        "insertions": site.insertions,
        "twitch_response": site.twitch_response,
        "depth_mm": site.depth_mm,
        "lung_risk_acknowledged": site.lung_risk_acknowledged,
        "notes": site.notes,
    }


def _check(check) -> dict:
    return {
        "hours_after": check.hours_after,
        "due_at": check.due_at.isoformat(),
        "status": check.get_status_display(),
        "done_at": check.done_at.isoformat() if check.done_at else None,
        "soreness": check.soreness,
        "resolved": check.resolved,
    }


def _adverse_event(event) -> dict:
    return {
        "type": event.get_event_type_display(),
        "severity": event.get_severity_display(),
        "status": event.get_status_display(),
        "onset_at": event.onset_at.isoformat(),
        "description": event.description,
        "action_taken": event.action_taken,
        "referral_made": event.referral_made,
        "resolved_on": event.resolved_on.isoformat() if event.resolved_on else None,
    }


def _addendum(addendum) -> dict:
    return {
        "created_at": addendum.created_at.isoformat(),
        "author": str(addendum.author),
        "reason": addendum.reason,
        "text": addendum.text,
    }


def _session(session: NeedlingSession) -> dict:
    return {
        "started_at": session.started_at.isoformat(),
        "therapist": str(session.therapist),
        "status": session.get_status_display(),
        "signed_at": session.signed_at.isoformat() if session.signed_at else None,
        "screening_taken_at": session.screening.taken_at.isoformat(),
        "safety_check": session.get_gate_outcome_display(),
        "consent": session.get_consent_method_display(),
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "needle_type": session.needle_type,
        "notes": session.notes,
        "sites": [_site(site) for site in session.sites.all()],
        "soreness_follow_up": [_check(check) for check in session.checks.all()],
        "adverse_events": [_adverse_event(event) for event in session.adverse_events.all()],
        "addenda": [_addendum(addendum) for addendum in session.addenda.all()],
    }


@export_section("needling_sessions")
def needling_sessions(patient: Patient) -> list[dict]:
    sessions = (
        NeedlingSession.objects.filter(patient=patient)
        .select_related("therapist", "screening")
        .with_sites()
        .with_followup()
        .prefetch_related("addenda__author", "adverse_events")
        .newest_first()
    )
    return [_session(session) for session in sessions]
