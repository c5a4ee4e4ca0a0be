"""Pain (NPRS 0-10, LOINC 72514-3) before and after each needling session, and the soreness
recorded at each post-needling follow-up, as Observations that are part of the session."""

from collections.abc import Iterator

from sessions.models import CheckStatus, NeedlingSession, SessionStatus, SorenessCheck

from .codes import (
    CONTACT_METHOD_SYSTEM,
    LOINC_SYSTEM,
    NPRS,
    OBSERVATION_CATEGORY_SYSTEM,
    OBSERVATION_SYSTEM,
    PAIN_AFTER,
    PAIN_BEFORE,
    PAIN_TIMING_SYSTEM,
    SORENESS,
    SORENESS_RESOLVED,
    SURVEY,
)
from .common import Scope, annotation, concept, instant, ref, stream
from .procedure import session_procedure_id, site_procedure_id


def nprs_resource(session: NeedlingSession, timing: tuple[str, str], value: int) -> dict:
    return {
        "resourceType": "Observation",
        "id": f"nprs-{timing[0]}-{session.pk}",
        "status": "final" if session.status == SessionStatus.SIGNED else "preliminary",
        "category": [
            concept(OBSERVATION_CATEGORY_SYSTEM, SURVEY),
            concept(PAIN_TIMING_SYSTEM, timing),
        ],
        "code": concept(LOINC_SYSTEM, NPRS, text=f"Pain (NPRS 0-10), {timing[1].lower()}"),
        "subject": ref("Patient", session.patient_id),
        "partOf": [ref("Procedure", session_procedure_id(session.pk))],
        "effectiveDateTime": instant(session.started_at),
        "performer": [ref("Practitioner", session.therapist_id)],
        "valueInteger": value,
    }


def soreness_resource(check: SorenessCheck) -> dict:
    session = check.session
    resource = {
        "resourceType": "Observation",
        "id": f"soreness-{check.pk}",
        "status": "final",
        "category": [
            concept(OBSERVATION_CATEGORY_SYSTEM, SURVEY),
            concept(OBSERVATION_SYSTEM, SORENESS),
        ],
        "code": concept(
            LOINC_SYSTEM,
            NPRS,
            text=f"Post-needling soreness (NPRS 0-10), {check.hours_after} h follow-up",
        ),
        "subject": ref("Patient", session.patient_id),
        "partOf": [ref("Procedure", session_procedure_id(session.pk))],
        "effectiveDateTime": instant(check.done_at),
        "valueInteger": check.soreness,
        "method": concept(CONTACT_METHOD_SYSTEM, (check.method, check.get_method_display())),
        "component": [
            {"code": concept(OBSERVATION_SYSTEM, SORENESS_RESOLVED), "valueBoolean": check.resolved}
        ],
    }
    if check.recorded_by_id is not None:
        resource["performer"] = [ref("Practitioner", check.recorded_by_id)]
    sore_sites = [ref("Procedure", site_procedure_id(site.pk)) for site in check.sore_sites.all()]
    if sore_sites:
        resource["focus"] = sore_sites
    if check.notes:
        resource["note"] = [annotation(check.notes)]
    return resource


def observations(scope: Scope) -> Iterator[dict]:
    for session in stream(scope.rows(NeedlingSession.objects.all()).order_by("pk")):
        yield nprs_resource(session, PAIN_BEFORE, session.pain_before)
        if session.pain_after is not None:
            yield nprs_resource(session, PAIN_AFTER, session.pain_after)
    checks = (
        scope.rows(SorenessCheck.objects.filter(status=CheckStatus.DONE), "session__patient")
        .select_related("session")
        .prefetch_related("sore_sites")
        .order_by("pk")
    )
    for check in stream(checks):
        yield soreness_resource(check)
