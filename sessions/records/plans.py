"""Strengthening plans in a patient's audit history and record export."""

from clinic.audit.export import export_section
from clinic.audit.selectors import patient_record_collector
from patients.models import Patient

from ..models import AdherenceEntry, ExerciseLog, PlanItem, PlanPairing, StrengtheningPlan


@patient_record_collector
def strengthening_plan_records(patient: Patient):
    return [
        (StrengtheningPlan, StrengtheningPlan.objects.filter(patient=patient)),
        (PlanPairing, PlanPairing.objects.filter(plan__patient=patient)),
        (PlanItem, PlanItem.objects.filter(plan__patient=patient)),
        (AdherenceEntry, AdherenceEntry.objects.filter(plan__patient=patient)),
        (ExerciseLog, ExerciseLog.objects.filter(entry__plan__patient=patient)),
    ]


@export_section("strengthening_plans")
def strengthening_plans(patient: Patient) -> list[dict]:
    plans = (
        StrengtheningPlan.objects.filter(patient=patient)
        .select_related("therapist")
        .prefetch_related("sessions")
        .with_items()
        .prefetch_related("adherence_entries__logs__item__exercise")
    )
    return [
        {
            "goal": plan.goal,
            "therapist": str(plan.therapist),
            "status": plan.get_status_display(),
            "stopped_reason": plan.stopped_reason,
            "start_date": plan.start_date.isoformat(),
            "review_date": plan.review_date.isoformat(),
            "ended_on": plan.ended_on.isoformat() if plan.ended_on else None,
            "paired_sessions": [session.started_at.isoformat() for session in plan.sessions.all()],
            "items": [
                {
                    "exercise": item.exercise.name,
                    "sets": item.sets,
                    "reps": item.reps,
                    "hold_seconds": item.hold_seconds,
                    "load_type": item.get_load_type_display(),
                    "load_kg": str(item.load_kg) if item.load_kg is not None else None,
                    "frequency_per_week": item.frequency_per_week,
                    "progression_rule": item.get_progression_rule_display(),
                    "progression_step": item.progression_step,
                    "easy_logs_needed": item.easy_logs_needed,
                    "notes": item.notes,
                }
                for item in plan.items.all()
            ],
            "adherence": [
                {
                    "date": entry.date.isoformat(),
                    "sessions_completed": entry.sessions_completed,
                    "notes": entry.notes,
                    "exercises": [
                        {
                            "exercise": log.item.exercise.name,
                            "sets_done": log.sets_done,
                            "rpe": log.rpe,
                            "pain_during": log.pain_during,
                        }
                        for log in entry.logs.all()
                    ],
                }
                for entry in plan.adherence_entries.all()
            ],
        }
        for plan in plans
    ]
