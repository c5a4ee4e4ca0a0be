from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sessions.models import ExerciseLog, LoadType, PlanItem, ProgressionRule
from sessions.services import plans as plan_services
from sessions.services.plans import ON_HEAVIEST_BAND
from tests.factories import ExerciseLogFactory, PlanItemFactory


def item(**values) -> PlanItem:
    defaults = {
        "sets": 3,
        "reps": 10,
        "load_type": LoadType.BODYWEIGHT,
        "progression_rule": ProgressionRule.ADD_REPS,
        "progression_step": 2,
        "easy_logs_needed": 2,
    }
    return PlanItem(**{**defaults, **values})


def logs(*efforts: int | None, sets_done: int = 3) -> list[ExerciseLog]:
    """Logs newest first, with the given effort (RPE) each."""
    return [ExerciseLog(sets_done=sets_done, rpe=rpe, pain_during=1) for rpe in efforts]


def test_two_easy_logs_in_a_row_make_a_load_progression_due():
    kg_item = item(
        reps=8,
        load_type=LoadType.KG,
        load_kg=Decimal("8.00"),
        progression_rule=ProgressionRule.ADD_LOAD_PERCENT,
        progression_step=10,
    )

    due = plan_services.progression_due(item=kg_item, logs=logs(5, 4))

    assert due.due
    assert due.text == "add 10% load: 8 kg → 8.8 kg"
    assert due.changes == {"load_kg": Decimal("8.8")}


@pytest.mark.parametrize(
    ("efforts", "expected"),
    [
        ((), "not yet: 0 of 2 easy logs"),
        ((4,), "not yet: 1 of 2 easy logs"),
        ((4, 7, 3), "not yet: 1 of 2 easy logs"),
        ((7, 4, 3), "not yet: 0 of 2 easy logs"),
        ((6, 6), "not yet: 0 of 2 easy logs"),
    ],
)
def test_a_hard_log_breaks_the_run_of_easy_ones(efforts, expected):
    due = plan_services.progression_due(item=item(), logs=logs(*efforts))

    assert not due.due
    assert due.text == expected


def test_an_easy_effort_with_sets_missed_is_not_an_easy_log():
    due = plan_services.progression_due(item=item(), logs=logs(3, 3, sets_done=2))

    assert due.text == "not yet: 0 of 2 easy logs"


def test_the_rule_can_ask_for_more_consecutive_easy_logs():
    patient_item = item(easy_logs_needed=3)

    assert plan_services.progression_due(item=patient_item, logs=logs(5, 5)).text == (
        "not yet: 2 of 3 easy logs"
    )
    assert plan_services.progression_due(item=patient_item, logs=logs(5, 5, 5)).due


@pytest.mark.parametrize(
    ("values", "text", "changes"),
    [
        ({"reps": 10}, "add 2 reps: 10 → 12 reps", {"reps": 12}),
        (
            {
                "reps": None,
                "hold_seconds": 20,
                "progression_rule": ProgressionRule.ADD_HOLD_SECONDS,
                "progression_step": 5,
            },
            "add 5 s hold: 20 s → 25 s",
            {"hold_seconds": 25},
        ),
        (
            {
                "load_type": LoadType.BAND_LIGHT,
                "progression_rule": ProgressionRule.NEXT_BAND,
                "progression_step": 1,
            },
            "move up a band: light band → medium band",
            {"load_type": LoadType.BAND_MEDIUM},
        ),
    ],
)
def test_each_rule_says_what_changes(values, text, changes):
    due = plan_services.progression_due(item=item(**values), logs=logs(3, 3))

    assert due.due
    assert due.text == text
    assert due.changes == changes


def test_no_progression_past_the_heaviest_band_or_without_a_rule():
    heaviest = item(load_type=LoadType.BAND_EXTRA_HEAVY, progression_rule=ProgressionRule.NEXT_BAND)
    fixed = item(progression_rule=ProgressionRule.NONE)

    assert plan_services.progression_due(item=heaviest, logs=logs(2, 2)).text == ON_HEAVIEST_BAND
    assert not plan_services.progression_due(item=fixed, logs=logs(2, 2)).due


@pytest.mark.django_db
def test_applying_a_due_progression_changes_the_dosage_and_restarts_the_count(client):
    plan_item = PlanItemFactory(reps=10)
    start = plan_item.plan.start_date
    ExerciseLogFactory(item=plan_item, rpe=4, entry__date=start + timedelta(days=7))
    ExerciseLogFactory(item=plan_item, rpe=5, entry__date=start + timedelta(days=14))
    client.force_login(plan_item.plan.therapist)
    plan_url = reverse("treatment_sessions:plan_detail", args=[plan_item.plan.pk])
    assert "Due: add 2 reps: 10 → 12 reps" in client.get(plan_url).content.decode()

    response = client.post(
        reverse("treatment_sessions:plan_item_progress", args=[plan_item.pk]), follow=True
    )

    plan_item.refresh_from_db()
    assert plan_item.reps == 12
    body = response.content.decode()
    assert "Glute bridge: add 2 reps: 10 → 12 reps." in body
    assert "Not yet: 0 of 2 easy logs" in body


@pytest.mark.django_db
def test_a_progression_that_is_not_due_is_refused():
    plan_item = PlanItemFactory(reps=10)
    ExerciseLogFactory(item=plan_item, rpe=8)

    with pytest.raises(ValidationError, match=plan_services.PROGRESSION_NOT_DUE):
        plan_services.plan_item_progress(item=plan_item, actor=plan_item.plan.therapist)

    plan_item.refresh_from_db()
    assert plan_item.reps == 10
