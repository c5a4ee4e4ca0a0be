"""Needling: each session is a Procedure (billed as one CPT code from its number of distinct
muscles) and each trigger-point site a Procedure that is part of it, with its muscle and
SNOMED CT laterality as bodySite."""

from collections.abc import Iterator

from django.db.models import Count

from sessions.models import NeedlingSession, SessionStatus, TriggerPointSite

from .codes import (
    CPT_SYSTEM,
    DRY_NEEDLING_SESSION,
    DRY_NEEDLING_SITE,
    MUSCLE_SYSTEM,
    PROCEDURE_SYSTEM,
    cpt_for_muscles,
)
from .common import Scope, annotation, coding, instant, laterality, local_code, ref, stream
from .episode import complaint_reference


def session_procedure_id(session_id: int) -> str:
    return f"session-{session_id}"


def site_procedure_id(site_id: int) -> str:
    return f"site-{site_id}"


def procedure_status(session_status: str) -> str:
    # A draft note is a needling whose record is not finished yet.
    return "completed" if session_status == SessionStatus.SIGNED else "in-progress"


def session_procedure_resource(session: NeedlingSession, distinct_muscles: int) -> dict:
    codings = [coding(PROCEDURE_SYSTEM, DRY_NEEDLING_SESSION)]
    cpt = cpt_for_muscles(distinct_muscles)
    if cpt is not None:
        codings.insert(0, coding(CPT_SYSTEM, cpt))
    notes = [
        annotation(
            f"Informed consent ({session.get_consent_method_display().lower()}) obtained; "
            f"health unchanged since the screening confirmed. Safety gate: {session.gate_summary}"
        )
    ]
    if session.notes:
        notes.append(annotation(session.notes))
    notes += [
        annotation(
            f"Addendum ({addendum.reason}): {addendum.text}",
            author_id=addendum.author_id,
            time=addendum.created_at,
        )
        for addendum in session.addenda.all()
    ]
    return {
        "resourceType": "Procedure",
        "id": session_procedure_id(session.pk),
        "status": procedure_status(session.status),
        "code": {"coding": codings, "text": DRY_NEEDLING_SESSION[1]},
        "subject": ref("Patient", session.patient_id),
        "performedDateTime": instant(session.started_at),
        "recorder": ref("Practitioner", session.therapist_id),
        "performer": [{"actor": ref("Practitioner", session.therapist_id)}],
        # The episode's complaint: R4 Procedure has no episode element (see mapping/episode.py).
        "reasonReference": [complaint_reference(session.episode_id)],
        "note": notes,
    }


def site_details(site: TriggerPointSite) -> str:
    parts = [
        site.get_technique_display(),
        f"{site.insertions} insertion{'s' if site.insertions != 1 else ''}",
        f"local twitch response: {'yes' if site.twitch_response else 'no'}",
    ]
    if site.depth_mm is not None:
        parts.append(f"depth {site.depth_mm} mm")
    if site.needle_length_mm is not None:
        parts.append(f"needle length {site.needle_length_mm} mm")
    if site.needle_gauge_mm is not None:
        parts.append(f"gauge {site.needle_gauge_mm} mm")
    if site.lung_risk:
        parts.append("lung-risk precaution taken")
    return "; ".join(parts) + (f". {site.notes}" if site.notes else ".")


def site_procedure_resource(site: TriggerPointSite) -> dict:
    session = site.session
    muscle = site.muscle
    return {
        "resourceType": "Procedure",
        "id": site_procedure_id(site.pk),
        "partOf": [ref("Procedure", session_procedure_id(session.pk))],
        "status": procedure_status(session.status),
        "code": {
            "coding": [coding(PROCEDURE_SYSTEM, DRY_NEEDLING_SITE)],
            "text": DRY_NEEDLING_SITE[1],
        },
        "subject": ref("Patient", session.patient_id),
        "performedDateTime": instant(session.started_at),
        "performer": [{"actor": ref("Practitioner", session.therapist_id)}],
        "bodySite": [
            {
                "extension": [laterality(site.side)],
                "coding": [coding(MUSCLE_SYSTEM, (local_code(muscle.name), muscle.name))],
                "text": f"{muscle.name} ({site.get_side_display().lower()})",
            }
        ],
        "note": [annotation(site_details(site))],
    }


def procedures(scope: Scope) -> Iterator[dict]:
    sessions = (
        scope.rows(NeedlingSession.objects.all())
        .annotate(distinct_muscles=Count("sites__muscle", distinct=True))
        .prefetch_related("addenda")
        .order_by("pk")
    )
    for session in stream(sessions):
        yield session_procedure_resource(session, session.distinct_muscles)
    sites = scope.rows(TriggerPointSite.objects.all(), "session__patient").select_related(
        "session", "muscle"
    )
    for site in stream(sites.order_by("pk")):
        yield site_procedure_resource(site)
