"""Episodes of care: each as an EpisodeOfCare whose diagnosis is the complaint (a Condition with
the body region as bodySite), and each outcome measure score as an Observation.

R4 gives Procedure, Observation and CarePlan no element for an episode. Without an extension,
the session's Procedure names the complaint as its `reasonReference` and a plan `addresses` it,
so both lead to the episode through its diagnosis; an outcome score (an Observation has no
reason element) names its episode in its note.
"""

from collections.abc import Iterator
from decimal import Decimal

from patients.instruments import Instrument, Timepoint
from patients.models import DischargeReason, EpisodeOfCare, OutcomeAssessment

from .codes import (
    BODY_REGION_SYSTEM,
    CHIEF_COMPLAINT,
    CONDITION_CATEGORY_SYSTEM,
    CONDITION_CLINICAL_SYSTEM,
    DIAGNOSIS_ROLE_SYSTEM,
    ENCOUNTER_DIAGNOSIS,
    LOINC_SYSTEM,
    NPRS,
    OBSERVATION_CATEGORY_SYSTEM,
    OUTCOME_INSTRUMENT_SYSTEM,
    OUTCOME_ITEM_SYSTEM,
    OUTCOME_TIMEPOINT_SYSTEM,
    SURVEY,
)
from .common import Scope, annotation, coding, concept, day, ref, stream

ACTIVE = ("active", "Active")
RESOLVED = ("resolved", "Resolved")


def episode_id(episode_pk: int) -> str:
    return f"episode-{episode_pk}"


def complaint_id(episode_pk: int) -> str:
    return f"complaint-{episode_pk}"


def complaint_reference(episode_pk: int) -> dict:
    return ref("Condition", complaint_id(episode_pk))


def _region(episode: EpisodeOfCare) -> dict:
    label = episode.get_body_region_display()
    return {"coding": [coding(BODY_REGION_SYSTEM, (episode.body_region, label))], "text": label}


def _period(episode: EpisodeOfCare) -> dict:
    period = {"start": day(episode.opened_on)}
    if episode.closed_on is not None:
        period["end"] = day(episode.closed_on)
    return period


def episode_resource(episode: EpisodeOfCare) -> dict:
    resource = {
        "resourceType": "EpisodeOfCare",
        "id": episode_id(episode.pk),
        "status": "active" if episode.is_open else "finished",
        "type": [{**_region(episode), "text": episode.complaint}],
        "diagnosis": [
            {
                "condition": complaint_reference(episode.pk),
                "role": concept(DIAGNOSIS_ROLE_SYSTEM, CHIEF_COMPLAINT),
                "rank": 1,
            }
        ],
        "patient": ref("Patient", episode.patient_id),
        "managingOrganization": ref("Organization", episode.clinic_id),
        "period": _period(episode),
        "careManager": ref("Practitioner", episode.therapist_id),
    }
    return resource


def complaint_resource(episode: EpisodeOfCare) -> dict:
    """The complaint as the episode's diagnosis: active while the episode is open, resolved
    when it closed with its goals met; otherwise (plateau, referred on...) its status is not
    known, so clinicalStatus is left out."""
    resource = {
        "resourceType": "Condition",
        "id": complaint_id(episode.pk),
        "category": [concept(CONDITION_CATEGORY_SYSTEM, ENCOUNTER_DIAGNOSIS)],
        "code": {"text": episode.complaint},
        "bodySite": [_region(episode)],
        "subject": ref("Patient", episode.patient_id),
        "recordedDate": day(episode.opened_on),
        "recorder": ref("Practitioner", episode.therapist_id),
    }
    if episode.is_open:
        resource["clinicalStatus"] = concept(CONDITION_CLINICAL_SYSTEM, ACTIVE)
    elif episode.discharge_reason == DischargeReason.GOALS_MET:
        resource["clinicalStatus"] = concept(CONDITION_CLINICAL_SYSTEM, RESOLVED)
    if episode.onset_date is not None:
        resource["onsetDateTime"] = day(episode.onset_date)
    notes = [f"Goal: {episode.goal}" if episode.goal else ""]
    notes.append(f"Referred by: {episode.referral_source}" if episode.referral_source else "")
    if episode.closed_on is not None:
        notes.append(f"Discharged: {episode.get_discharge_reason_display()}")
        notes.append(episode.discharge_note)
    if any(notes):
        resource["note"] = [annotation(n) for n in notes if n]
    return resource


def _score(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _item_components(assessment: OutcomeAssessment) -> list[dict]:
    spec = assessment.spec
    labels = assessment.item_labels or []
    components = []
    for number, response in enumerate(assessment.responses, start=1):
        if response is None:
            continue
        label = spec.item_label(number)
        if number <= len(labels) and labels[number - 1]:
            label = f"{label} ({labels[number - 1]})"
        code = (f"{assessment.instrument}-{number}", label)
        components.append({"code": concept(OUTCOME_ITEM_SYSTEM, code), "valueInteger": response})
    return components


def outcome_resource(assessment: OutcomeAssessment) -> dict:
    """An outcome score: NPRS with LOINC 72514-3, the other instruments with a local code."""
    spec = assessment.spec
    instrument = Instrument(assessment.instrument)
    timepoint = Timepoint(assessment.timepoint)
    if instrument == Instrument.NPRS:
        code = concept(LOINC_SYSTEM, NPRS, text=instrument.label)
        value = {"valueInteger": int(assessment.score)}
    else:
        code = concept(OUTCOME_INSTRUMENT_SYSTEM, (instrument.value, instrument.label))
        value = {"valueQuantity": {"value": _score(assessment.score), "unit": spec.unit}}
    episode = assessment.episode
    named_episode = f"EpisodeOfCare/{episode_id(episode.pk)} ({episode})"
    resource = {
        "resourceType": "Observation",
        "id": f"outcome-{assessment.pk}",
        "status": "final",
        "category": [
            concept(OBSERVATION_CATEGORY_SYSTEM, SURVEY),
            concept(OUTCOME_TIMEPOINT_SYSTEM, (timepoint.value, timepoint.label)),
        ],
        "code": code,
        "subject": ref("Patient", episode.patient_id),
        "effectiveDateTime": day(assessment.taken_on),
        "performer": [_performer(assessment)],
        **value,
        "note": [annotation(f"Episode of care: {named_episode}")],
    }
    components = _item_components(assessment)
    if components:
        resource["component"] = components
    return resource


def _performer(assessment: OutcomeAssessment) -> dict:
    """The therapist who recorded the score, or the patient who answered it through a link."""
    if assessment.recorded_by_id is None:
        return ref("Patient", assessment.episode.patient_id)
    return ref("Practitioner", assessment.recorded_by_id)


def episodes(scope: Scope) -> Iterator[dict]:
    for episode in stream(scope.rows(EpisodeOfCare.objects.all()).order_by("pk")):
        yield episode_resource(episode)


def complaints(scope: Scope) -> Iterator[dict]:
    for episode in stream(scope.rows(EpisodeOfCare.objects.all()).order_by("pk")):
        yield complaint_resource(episode)


def outcome_observations(scope: Scope) -> Iterator[dict]:
    assessments = scope.rows(OutcomeAssessment.objects.all(), "episode__patient")
    for assessment in stream(assessments.select_related("episode").order_by("pk")):
        yield outcome_resource(assessment)
