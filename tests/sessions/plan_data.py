"""Builders shared by the strengthening-plan tests."""

from datetime import timedelta

from django.utils import timezone

from sessions.models import Exercise, Muscle, NeedlingSession
from tests.factories import NeedlingSessionFactory, TriggerPointSiteFactory


def needled_session(patient, *muscle_names: str) -> NeedlingSession:
    """A draft session of the patient with one site in each named catalogue muscle."""
    session = NeedlingSessionFactory(
        screening__patient=patient, screening__therapist__clinic=patient.clinic, signed=False
    )
    for name in muscle_names:
        TriggerPointSiteFactory(session=session, muscle=Muscle.objects.get(name=name))
    return session


def exercise(name: str) -> Exercise:
    return Exercise.objects.get(name=name)


def item_row(exercise_name: str, **overrides) -> dict:
    row = {
        "exercise": exercise(exercise_name).pk,
        "sets": "3",
        "reps": "12",
        "hold_seconds": "",
        "load_type": "bodyweight",
        "load_kg": "",
        "frequency_per_week": "3",
        "progression_rule": "add_reps",
        "progression_step": "2",
        "easy_logs_needed": "2",
        "notes": "",
    }
    row.update(overrides)
    return row


def plan_post(sessions, items, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "sessions": [str(session.pk) for session in sessions],
        "goal": "Sit at the desk all day without neck pain.",
        "start_date": today.isoformat(),
        "review_date": (today + timedelta(weeks=6)).isoformat(),
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(items):
        for name, value in row.items():
            data[f"items-{index}-{name}"] = value
    data.update(overrides)
    return data
