"""A strengthening plan for the patient's last sessions, with weekly adherence."""

from datetime import timedelta

from django.utils import timezone

from sessions.models import (
    AdherenceEntry,
    ExerciseLog,
    PlanItem,
    PlanPairing,
    PlanStatus,
    StrengtheningPlan,
)
from sessions.services.plans import exercise_default_item


def patient_plan(history, patient, sessions, *, active: bool) -> None:
    """The plan of the patient's last sessions: up to three exercises for the muscles needled, at
    the service's default dosage, and a weekly adherence entry until today or the review."""
    rng = history.rng
    start = timezone.localtime(sessions[0].started_at).date()
    review = start + timedelta(weeks=6)
    plan = StrengtheningPlan(
        patient=patient,
        therapist=history.therapist,
        episode=sessions[-1].episode,
        goal="Work at the desk all day without pain.",
        start_date=start,
        review_date=review,
        status=PlanStatus.ACTIVE if active else PlanStatus.COMPLETED,
        ended_on=None if active else review,
    )
    history.rows.plans.append(plan)
    history.rows.pairings.extend(PlanPairing(plan=plan, session=s) for s in sessions)
    exercises = []
    for muscle, _ in history.plan:
        for exercise in history.catalogue.exercises_for.get(muscle.pk, ()):
            if exercise not in exercises:
                exercises.append(exercise)
    items = []
    for exercise in (exercises or history.catalogue.any_exercises)[:3]:
        values = exercise_default_item(exercise)
        items.append(PlanItem(plan=plan, **values))
    history.rows.items.extend(items)
    today = timezone.localdate(history.now)
    day = start + timedelta(days=7)
    while day <= min(today, review):
        entry = AdherenceEntry(
            plan=plan,
            recorded_by=history.therapist,
            date=day,
            sessions_completed=rng.randrange(1, 5),
        )
        history.rows.entries.append(entry)
        history.rows.logs.extend(
            ExerciseLog(
                entry=entry,
                item=item,
                sets_done=item.sets,
                rpe=rng.randrange(3, 9),
                pain_during=rng.randrange(0, 4),
            )
            for item in items
        )
        day += timedelta(days=7)
