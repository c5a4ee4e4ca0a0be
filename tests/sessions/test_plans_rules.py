from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from sessions.models import PlanItem, PlanStatus, StrengtheningPlan
from sessions.models.plans import ONE_ACTIVE_PLAN, STOPPED_NEEDS_REASON
from sessions.services import plans as plan_services
from tests.factories import PatientFactory, PlanItemFactory, StrengtheningPlanFactory

from .plan_data import exercise, item_row, needled_session, plan_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(therapist):
    return PatientFactory(clinic=therapist.clinic)


def create(patient, therapist, sessions, **overrides):
    values = {
        "patient": patient,
        "therapist": therapist,
        "sessions": sessions,
        "goal": "Walk the dog without calf pain.",
        "start_date": timezone.localdate(),
        "review_date": timezone.localdate() + timedelta(weeks=6),
        "items": [plan_services.exercise_default_item(exercise("Calf raise"))],
    }
    values.update(overrides)
    return plan_services.plan_create(**values)


def test_a_plan_pairs_sessions_and_keeps_its_exercises(patient, therapist):
    session = needled_session(patient, "Gastrocnemius")

    plan = create(patient, therapist, [session])

    assert list(plan.sessions.all()) == [session]
    [calf_raise] = plan.items.all()
    assert (calf_raise.sets, calf_raise.reps, calf_raise.frequency_per_week) == (3, 15, 3)
    assert plan.status == PlanStatus.ACTIVE


def test_a_session_of_another_patient_cannot_be_paired(patient, therapist):
    other_patient = PatientFactory(clinic=therapist.clinic)
    theirs = needled_session(other_patient, "Soleus")

    with pytest.raises(ValidationError, match=plan_services.SESSION_OF_ANOTHER_PATIENT):
        create(patient, therapist, [needled_session(patient, "Gastrocnemius"), theirs])

    assert not StrengtheningPlan.objects.exists()


def test_a_session_of_another_clinic_cannot_be_paired(patient, therapist, other_clinic):
    elsewhere = needled_session(PatientFactory(clinic=other_clinic), "Soleus")

    with pytest.raises(ValidationError, match=plan_services.SESSION_OF_ANOTHER_PATIENT):
        create(patient, therapist, [elsewhere])

    assert not StrengtheningPlan.objects.exists()


@pytest.mark.parametrize("owner", ["other_patient", "other_clinic"])
def test_the_form_explains_a_foreign_session_and_writes_nothing(
    therapist_client, therapist, other_clinic, patient, owner
):
    clinic = therapist.clinic if owner == "other_patient" else other_clinic
    foreign = needled_session(PatientFactory(clinic=clinic), "Soleus")

    response = therapist_client.post(
        reverse("treatment_sessions:plan_create", args=[patient.pk]),
        plan_post([foreign], [item_row("Calf raise")]),
    )

    assert response.status_code == 200
    assert plan_services.SESSION_OF_ANOTHER_PATIENT in unescape(response.content.decode())
    assert not StrengtheningPlan.objects.exists()
    assert not PlanItem.objects.exists()


@pytest.mark.parametrize("session_id", ["99999999999999999999999", "-1", "\u0661", "1.5"])
def test_the_form_refuses_a_session_id_that_cannot_exist_and_writes_nothing(
    therapist_client, patient, session_id
):
    session = needled_session(patient, "Soleus")
    data = plan_post([session], [item_row("Calf raise")])
    data["sessions"].append(session_id)

    response = therapist_client.post(
        reverse("treatment_sessions:plan_create", args=[patient.pk]), data
    )

    assert response.status_code == 200
    assert plan_services.SESSION_OF_ANOTHER_PATIENT in unescape(response.content.decode())
    assert not StrengtheningPlan.objects.exists()


def test_one_active_plan_per_patient(patient, therapist):
    session = needled_session(patient, "Gastrocnemius")
    create(patient, therapist, [session])

    with pytest.raises(ValidationError, match=ONE_ACTIVE_PLAN):
        create(patient, therapist, [session])

    assert StrengtheningPlan.objects.count() == 1


def test_the_database_also_refuses_a_second_active_plan(patient):
    StrengtheningPlanFactory(patient=patient)

    with pytest.raises(IntegrityError):
        StrengtheningPlanFactory(patient=patient)


def test_a_new_plan_can_follow_a_completed_one(patient, therapist):
    session = needled_session(patient, "Gastrocnemius")
    first = create(patient, therapist, [session])
    plan_services.plan_end(plan=first, actor=therapist, status=PlanStatus.COMPLETED)

    second = create(patient, therapist, [session])

    assert second.is_active


def test_stopping_a_plan_needs_a_reason(patient, therapist):
    plan = create(patient, therapist, [needled_session(patient, "Gastrocnemius")])

    with pytest.raises(ValidationError, match=STOPPED_NEEDS_REASON):
        plan_services.plan_end(plan=plan, actor=therapist, status=PlanStatus.STOPPED, reason=" ")

    stopped = plan_services.plan_end(
        plan=plan, actor=therapist, status=PlanStatus.STOPPED, reason="Moved away."
    )
    assert stopped.status == PlanStatus.STOPPED
    assert stopped.ended_on == timezone.localdate()


def test_the_database_refuses_a_stopped_plan_without_reason():
    plan = StrengtheningPlanFactory()

    with pytest.raises(IntegrityError):
        StrengtheningPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.STOPPED)


def test_the_database_refuses_both_reps_and_hold():
    with pytest.raises(IntegrityError):
        PlanItemFactory(reps=10, hold_seconds=20)


def test_adherence_is_for_this_plans_exercises_and_not_the_future(therapist):
    plan_item = PlanItemFactory(plan__therapist=therapist, plan__patient__clinic=therapist.clinic)
    stranger = PlanItemFactory()
    log = {"sets_done": 3, "rpe": 5, "pain_during": 1}

    with pytest.raises(ValidationError, match=plan_services.ITEM_OF_ANOTHER_PLAN):
        plan_services.adherence_record(
            plan=plan_item.plan,
            recorded_by=therapist,
            date=timezone.localdate(),
            sessions_completed=3,
            logs=[{"item": stranger, **log}],
        )
    with pytest.raises(ValidationError, match=plan_services.ENTRY_IN_FUTURE):
        plan_services.adherence_record(
            plan=plan_item.plan,
            recorded_by=therapist,
            date=timezone.localdate() + timedelta(days=1),
            sessions_completed=3,
            logs=[{"item": plan_item, **log}],
        )

    assert not plan_item.plan.adherence_entries.exists()
