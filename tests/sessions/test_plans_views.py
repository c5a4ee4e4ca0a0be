import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import AdherenceEntry, PlanItem, PlanStatus, StrengtheningPlan
from sessions.models.dosage import (
    FREQUENCY_RANGE,
    KG_NEEDS_VALUE,
    LOAD_NEGATIVE,
    REPS_OR_HOLD,
    SETS_RANGE,
)
from sessions.models.plans import STOPPED_NEEDS_REASON
from tests.factories import (
    ExerciseFactory,
    ExerciseLogFactory,
    PatientFactory,
    PlanItemFactory,
    StrengtheningPlanFactory,
)

from .plan_data import item_row, needled_session, plan_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(therapist):
    return PatientFactory(clinic=therapist.clinic)


@pytest.fixture
def plan(therapist, patient):
    return StrengtheningPlanFactory(patient=patient, therapist=therapist)


def test_therapist_builds_a_plan_from_a_session(therapist_client, patient):
    session = needled_session(patient, "Gastrocnemius", "Soleus")
    session_page = therapist_client.get(session.get_absolute_url()).content.decode()
    create_url = reverse("treatment_sessions:plan_create", args=[patient.pk])
    assert f"{create_url}?session={session.pk}" in session_page

    response = therapist_client.post(
        create_url,
        plan_post(
            [session],
            [
                item_row("Calf raise", reps="15"),
                item_row(
                    "Wrist extension with weight",
                    load_type="kg",
                    load_kg="1.5",
                    progression_rule="add_load_percent",
                    progression_step="10",
                ),
            ],
        ),
        follow=True,
    )

    plan = StrengtheningPlan.objects.get()
    assert list(plan.sessions.all()) == [session]
    body = response.content.decode()
    assert "Strengthening plan saved." in body
    assert "3 × 15 reps, bodyweight, 3× a week" in body
    assert "3 × 12 reps, 1.5 kg, 3× a week" in body
    assert "Not yet: 0 of 2 easy logs" in body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sets": "0"}, SETS_RANGE),
        ({"load_type": "kg", "load_kg": "-2"}, LOAD_NEGATIVE),
        ({"frequency_per_week": "15"}, FREQUENCY_RANGE),
        ({"hold_seconds": "30"}, REPS_OR_HOLD),
        ({"load_type": "kg", "load_kg": ""}, KG_NEEDS_VALUE),
    ],
)
def test_bad_dosage_gets_a_clear_message_and_writes_nothing(
    therapist_client, patient, change, message
):
    session = needled_session(patient, "Gastrocnemius")

    response = therapist_client.post(
        reverse("treatment_sessions:plan_create", args=[patient.pk]),
        plan_post([session], [item_row("Calf raise", **change)]),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StrengtheningPlan.objects.exists()


def test_a_patient_with_an_active_plan_is_sent_to_it(therapist_client, plan):
    response = therapist_client.get(
        reverse("treatment_sessions:plan_create", args=[plan.patient.pk])
    )

    body = response.content.decode()
    assert "already has an active plan" in body
    assert plan.get_absolute_url() in body
    assert 'name="goal"' not in body


def test_recorded_adherence_shows_by_week_with_the_next_progression(therapist_client, plan):
    calf = PlanItemFactory(plan=plan, exercise=ExerciseFactory(name="Calf raise"), reps=15)
    url = reverse("treatment_sessions:adherence_create", args=[plan.pk])
    for days_ago, effort in [(9, 4), (2, 5)]:
        response = therapist_client.post(
            url,
            {
                "date": (timezone.localdate() - timedelta(days=days_ago)).isoformat(),
                "sessions_completed": "3",
                "notes": "",
                f"log-{calf.pk}-sets_done": "3",
                f"log-{calf.pk}-rpe": str(effort),
                f"log-{calf.pk}-pain_during": "1",
            },
            follow=True,
        )

    body = response.content.decode()
    assert AdherenceEntry.objects.filter(plan=plan).count() == 2
    assert "3 of 3" in body
    assert "100%" in body
    assert "Due: add 2 reps: 15 → 17 reps" in body


def test_an_exercise_done_needs_its_effort_and_pain(therapist_client, plan):
    calf = PlanItemFactory(plan=plan)

    response = therapist_client.post(
        reverse("treatment_sessions:adherence_create", args=[plan.pk]),
        {
            "date": timezone.localdate().isoformat(),
            "sessions_completed": "2",
            f"log-{calf.pk}-sets_done": "3",
            f"log-{calf.pk}-rpe": "",
            f"log-{calf.pk}-pain_during": "",
        },
    )

    assert "record its effort (RPE) and pain" in response.content.decode()
    assert not AdherenceEntry.objects.exists()


def test_stopping_a_plan_asks_for_the_reason(therapist_client, plan):
    url = reverse("treatment_sessions:plan_end", args=[plan.pk])

    refused = therapist_client.post(url, {"status": "stopped", "reason": ""}, follow=True)
    assert STOPPED_NEEDS_REASON in refused.content.decode()
    plan.refresh_from_db()
    assert plan.is_active

    therapist_client.post(url, {"status": "stopped", "reason": "Pain flared with loading."})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.STOPPED
    assert plan.stopped_reason == "Pain flared with loading."


def test_handout_has_the_patient_therapist_dosage_and_instructions(therapist_client, plan):
    PlanItemFactory(
        plan=plan,
        exercise=ExerciseFactory(name="Side plank"),
        reps=None,
        hold_seconds=20,
        progression_rule="add_hold_seconds",
    )

    body = therapist_client.get(
        reverse("treatment_sessions:plan_handout", args=[plan.pk])
    ).content.decode()

    assert plan.patient.full_name in body
    assert str(plan.therapist) in body
    assert "3 sets of 20-second holds" in body
    assert "Also works the obliques." in body
    assert "data-print" in body


def test_clinic_admin_sees_the_plan_but_cannot_change_it(admin_client_, plan):
    PlanItemFactory(plan=plan)

    body = admin_client_.get(plan.get_absolute_url()).content.decode()

    assert "Glute bridge" in body
    assert "Record adherence" not in body
    assert "End plan" not in body


def test_patient_page_shows_the_active_plan(therapist_client, plan):
    PlanItemFactory(plan=plan, exercise=ExerciseFactory(name="Clamshell"))

    body = therapist_client.get(plan.patient.get_absolute_url()).content.decode()

    assert plan.goal in body
    assert "Clamshell: 3 × 12 reps" in body
    assert plan.get_absolute_url() in body


def grow(plan, exercises: list[str]) -> None:
    for name in exercises:
        plan_item = PlanItemFactory(plan=plan, exercise=ExerciseFactory(name=name))
        ExerciseLogFactory(item=plan_item, rpe=4)
        ExerciseLogFactory(item=plan_item, rpe=7)


@pytest.mark.parametrize("route", ["plan_detail", "plan_handout"])
def test_plan_pages_take_the_same_queries_however_big_the_plan(
    therapist_client, plan, route, django_assert_max_num_queries
):
    plan.sessions.add(needled_session(plan.patient, "Soleus"))
    grow(plan, ["Calf raise"])
    url = reverse(f"treatment_sessions:{route}", args=[plan.pk])

    with django_assert_max_num_queries(20) as small:
        therapist_client.get(url)
    grow(plan, ["Glute bridge", "Clamshell", "Bird dog", "Dead bug"])
    plan.sessions.add(needled_session(plan.patient, "Gastrocnemius"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = therapist_client.get(url)

    assert response.status_code == 200
    assert PlanItem.objects.filter(plan=plan).count() == 5


def test_plans_are_on_the_audit_page_and_in_the_export(client, therapist, clinic_admin, patient):
    session = needled_session(patient, "Gastrocnemius")
    client.force_login(therapist)
    client.post(
        reverse("treatment_sessions:plan_create", args=[patient.pk]),
        plan_post([session], [item_row("Calf raise")]),
    )

    client.force_login(clinic_admin)
    record = json.loads(client.get(reverse("audit:patient_export", args=[patient.pk])).content)
    [exported] = record["strengthening_plans"]
    assert exported["status"] == "Active"
    assert exported["items"][0]["exercise"] == "Calf raise"
    assert exported["paired_sessions"] == [session.started_at.isoformat()]

    audit = client.get(reverse("audit:patient", args=[patient.pk])).content.decode()
    assert "Strengthening plan for" in audit
    assert "Calf raise: 3 × 12 reps" in audit
