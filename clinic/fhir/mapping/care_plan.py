"""Strengthening plans: a CarePlan whose activities are one ServiceRequest per exercise, and
which points to the needling sessions it is paired with."""

from collections.abc import Iterator

from sessions.models import PlanItem, PlanStatus, ProgressionRule, StrengtheningPlan

from .codes import EXERCISE_SYSTEM
from .common import Scope, annotation, coding, day, instant, local_code, ref, stream
from .episode import complaint_reference
from .procedure import session_procedure_id

# A stopped plan is one that was ended early: FHIR's "revoked".
STATUS = {
    PlanStatus.ACTIVE: "active",
    PlanStatus.COMPLETED: "completed",
    PlanStatus.STOPPED: "revoked",
}


def care_plan_id(plan_id: int) -> str:
    return f"plan-{plan_id}"


def service_request_id(item_id: int) -> str:
    return f"plan-item-{item_id}"


def care_plan_resource(plan: StrengtheningPlan) -> dict:
    period = {"start": day(plan.start_date)}
    if plan.ended_on:
        period["end"] = day(plan.ended_on)
    resource = {
        "resourceType": "CarePlan",
        "id": care_plan_id(plan.pk),
        "status": STATUS[plan.status],
        "intent": "plan",
        "title": "Strengthening plan",
        "description": plan.goal,
        "subject": ref("Patient", plan.patient_id),
        "period": period,
        "created": instant(plan.created_at),
        "author": ref("Practitioner", plan.therapist_id),
        "activity": [
            {"reference": ref("ServiceRequest", service_request_id(item.pk))}
            for item in plan.items.all()
        ],
        "note": [annotation(f"Review on {plan.review_date:%Y-%m-%d}.")],
    }
    paired = [ref("Procedure", session_procedure_id(p.session_id)) for p in plan.pairings.all()]
    if paired:
        resource["supportingInfo"] = paired
    if plan.episode_id is not None:
        resource["addresses"] = [complaint_reference(plan.episode_id)]
    if plan.stopped_reason:
        resource["note"].append(annotation(f"Stopped: {plan.stopped_reason}"))
    return resource


def service_request_resource(item: PlanItem) -> dict:
    plan = item.plan
    exercise = item.exercise
    resource = {
        "resourceType": "ServiceRequest",
        "id": service_request_id(item.pk),
        "basedOn": [ref("CarePlan", care_plan_id(plan.pk))],
        "status": STATUS[plan.status],
        "intent": "plan",
        "code": {
            "coding": [coding(EXERCISE_SYSTEM, (local_code(exercise.name), exercise.name))],
            "text": exercise.name,
        },
        "subject": ref("Patient", plan.patient_id),
        "occurrenceTiming": {
            "repeat": {"frequency": item.frequency_per_week, "period": 1, "periodUnit": "wk"}
        },
        "authoredOn": instant(item.created_at),
        "requester": ref("Practitioner", plan.therapist_id),
        "patientInstruction": f"{item.dosage}. {exercise.instructions}",
    }
    if item.progression_rule != ProgressionRule.NONE:
        rule = ProgressionRule(item.progression_rule).label
        resource["note"] = [
            annotation(
                f"Progression: {rule.lower()} (step {item.progression_step}) after "
                f"{item.easy_logs_needed} consecutive easy logs."
            )
        ]
    return resource


def care_plans(scope: Scope) -> Iterator[dict]:
    plans = scope.rows(StrengtheningPlan.objects.all()).prefetch_related("items", "pairings")
    for plan in stream(plans.order_by("pk")):
        yield care_plan_resource(plan)


def service_requests(scope: Scope) -> Iterator[dict]:
    items = scope.rows(PlanItem.objects.all(), "plan__patient").select_related("plan", "exercise")
    for item in stream(items.order_by("pk")):
        yield service_request_resource(item)
