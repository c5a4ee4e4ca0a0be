"""Adverse events: confirmed ones as actual events, escalations awaiting a decision as
potential ones; dismissed escalations are not events and are left out."""

from collections.abc import Iterator

from sessions.models import AdverseEvent, AdverseEventType, EventStatus, Severity

from .codes import (
    ADVERSE_EVENT_OUTCOME_SYSTEM,
    ADVERSE_EVENT_SERIOUSNESS_SYSTEM,
    ADVERSE_EVENT_SEVERITY_SYSTEM,
    ADVERSE_EVENT_SYSTEM,
)
from .common import Scope, concept, instant, narrative, ref, stream
from .procedure import session_procedure_id, site_procedure_id

# NeedleTrack's classes (Carlesso-style) onto FHIR's mild | moderate | severe.
SEVERITY = {
    Severity.MILD: ("mild", "Mild"),
    Severity.MODERATE: ("moderate", "Moderate"),
    Severity.MAJOR: ("severe", "Severe"),
}
SERIOUS = ("serious", "Serious")
NON_SERIOUS = ("non-serious", "Non-serious")
RESOLVED = ("resolved", "Resolved")
ONGOING = ("ongoing", "Ongoing")


def adverse_event_resource(event: AdverseEvent) -> dict:
    session = event.session
    label = AdverseEventType(event.event_type).label
    suspect = (
        site_procedure_id(event.site_id)
        if event.site_id is not None
        else session_procedure_id(session.pk)
    )
    resource = {
        "resourceType": "AdverseEvent",
        "id": f"adverse-event-{event.pk}",
        "text": narrative(
            event.description,
            f"Action taken: {event.action_taken}" if event.action_taken else "",
            "Referred to a physician or emergency care." if event.referral_made else "",
        ),
        "actuality": "actual" if event.status == EventStatus.CONFIRMED else "potential",
        "event": concept(ADVERSE_EVENT_SYSTEM, (event.event_type, label), text=label),
        "subject": ref("Patient", session.patient_id),
        "date": instant(event.onset_at),
        "recordedDate": instant(event.created_at),
        "outcome": concept(
            ADVERSE_EVENT_OUTCOME_SYSTEM, RESOLVED if event.resolved_on else ONGOING
        ),
        "suspectEntity": [{"instance": ref("Procedure", suspect)}],
    }
    if event.severity:
        resource["severity"] = concept(ADVERSE_EVENT_SEVERITY_SYSTEM, SEVERITY[event.severity])
        serious = SERIOUS if event.severity == Severity.MAJOR else NON_SERIOUS
        resource["seriousness"] = concept(ADVERSE_EVENT_SERIOUSNESS_SYSTEM, serious)
    recorder = event.reported_by_id or event.decided_by_id
    if recorder is not None:
        resource["recorder"] = ref("Practitioner", recorder)
    return resource


def adverse_events(scope: Scope) -> Iterator[dict]:
    events = (
        scope.rows(AdverseEvent.objects.exclude(status=EventStatus.DISMISSED), "session__patient")
        .select_related("session")
        .order_by("pk")
    )
    for event in stream(events):
        yield adverse_event_resource(event)
