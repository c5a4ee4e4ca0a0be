"""Strengthening plans paired with needling: every write, and the progression rule.

`progression_due` is the one place that decides what progression an item's rule asks for;
the plan page shows it and `plan_item_progress` applies it.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.accounts.models import Role, User
from clinic.formats import shown
from clinic.lib.form_tokens import create_once
from patients.models import Patient
from patients.services.versions import record_version_bump

from ..models import (
    AdherenceEntry,
    Exercise,
    ExerciseLog,
    LoadType,
    NeedlingSession,
    PlanItem,
    PlanPairing,
    PlanStatus,
    ProgressionRule,
    StrengtheningPlan,
)
from ..models.adherence import EntrySource
from ..models.dosage import BAND_LEVELS, DEFAULT_EASY_LOGS, EASY_RPE_MAX, MAX_FREQUENCY_PER_WEEK
from ..models.plans import MAX_PLAN_ITEMS, ONE_ACTIVE_PLAN, TOO_MANY_ITEMS

NOT_A_THERAPIST = "Only a physical therapist of the patient's clinic can write a plan."
PATIENT_ARCHIVED = "This patient is archived; restore them before writing a plan."
NO_SESSIONS = "Pair the plan with at least one needling session."
SESSION_OF_ANOTHER_PATIENT = "Only this patient's own needling sessions can be paired with a plan."
NO_ITEMS = "Add at least one exercise to the plan."
PLAN_NOT_ACTIVE = "This plan is no longer active."
NOT_AN_END_STATUS = "A plan ends as completed or stopped."
ENTRY_IN_FUTURE = "Adherence cannot be recorded for a future date."
ON_HEAVIEST_BAND = "already on the heaviest band"
ENTRY_BEFORE_START = "The plan started on {start}: record adherence from then on."
ITEM_OF_ANOTHER_PLAN = "That exercise is not part of this plan."
NO_LOGS = "Record each exercise of the plan."
ALREADY_LOGGED_TODAY = "Today's exercise is already logged. Thank you!"
PROGRESSION_NOT_DUE = "No progression is due for this exercise yet."
LOAD_PRECISION = Decimal("0.1")


@dataclass(frozen=True)
class Progression:
    """What an item's rule asks for now: `changes` are the new dosage fields when due."""

    due: bool
    text: str
    changes: dict[str, Any] = field(default_factory=dict)


def _kg(value: Decimal) -> str:
    return f"{value.normalize():f} kg"


def is_easy(*, item: PlanItem, log: ExerciseLog) -> bool:
    """Every prescribed set done, at an effort the patient rates RPE 5 or less."""
    return log.sets_done >= item.sets and log.rpe is not None and log.rpe <= EASY_RPE_MAX


def progression_due(*, item: PlanItem, logs: Sequence[ExerciseLog]) -> Progression:
    """The progression the item's rule makes due, given its logs since the dosage was set.

    `logs` are newest first. The rule fires when the newest `item.easy_logs_needed` logs are
    all easy (`is_easy`); a harder or incomplete log resets the count.
    """
    rule = item.progression_rule
    if rule == ProgressionRule.NONE:
        return Progression(due=False, text="no automatic progression")
    if rule == ProgressionRule.NEXT_BAND and item.load_type == BAND_LEVELS[-1]:
        return Progression(due=False, text=ON_HEAVIEST_BAND)
    streak = 0
    for log in logs[: item.easy_logs_needed]:
        if not is_easy(item=item, log=log):
            break
        streak += 1
    if streak < item.easy_logs_needed:
        return Progression(
            due=False, text=f"not yet: {streak} of {item.easy_logs_needed} easy logs"
        )
    step = item.progression_step
    if rule == ProgressionRule.ADD_LOAD_PERCENT:
        new_kg = (item.load_kg * (100 + step) / 100).quantize(LOAD_PRECISION, ROUND_HALF_UP)
        return Progression(
            due=True,
            text=f"add {step}% load: {_kg(item.load_kg)} → {_kg(new_kg)}",
            changes={"load_kg": new_kg},
        )
    if rule == ProgressionRule.ADD_REPS:
        new_reps = item.reps + step
        return Progression(
            due=True,
            text=f"add {step} reps: {item.reps} → {new_reps} reps",
            changes={"reps": new_reps},
        )
    if rule == ProgressionRule.ADD_HOLD_SECONDS:
        new_hold = item.hold_seconds + step
        return Progression(
            due=True,
            text=f"add {step} s hold: {item.hold_seconds} s → {new_hold} s",
            changes={"hold_seconds": new_hold},
        )
    position = BAND_LEVELS.index(LoadType(item.load_type))
    new_band = BAND_LEVELS[min(position + step, len(BAND_LEVELS) - 1)]
    return Progression(
        due=True,
        text=(
            f"move up a band: {LoadType(item.load_type).label.lower()} → {new_band.label.lower()}"
        ),
        changes={"load_type": new_band},
    )


def exercise_default_item(exercise: Exercise) -> dict[str, Any]:
    """A new plan item's values from the exercise's default dosage, with a fitting rule."""
    values = {
        "exercise": exercise,
        "sets": exercise.default_sets,
        "reps": exercise.default_reps,
        "hold_seconds": exercise.default_hold_seconds,
        "load_type": exercise.default_load_type,
        "load_kg": exercise.default_load_kg,
        "frequency_per_week": 3,
        "easy_logs_needed": DEFAULT_EASY_LOGS,
    }
    if exercise.default_load_type == LoadType.KG:
        values.update(progression_rule=ProgressionRule.ADD_LOAD_PERCENT, progression_step=10)
    elif exercise.default_load_type in BAND_LEVELS:
        values.update(progression_rule=ProgressionRule.NEXT_BAND, progression_step=1)
    elif exercise.default_hold_seconds is not None:
        values.update(progression_rule=ProgressionRule.ADD_HOLD_SECONDS, progression_step=5)
    else:
        values.update(progression_rule=ProgressionRule.ADD_REPS, progression_step=2)
    return values


def _check_therapist(therapist: User, patient: Patient) -> None:
    if therapist.role != Role.THERAPIST or therapist.clinic_id != patient.clinic_id:
        raise ValidationError(NOT_A_THERAPIST)


@transaction.atomic
def plan_create(
    *,
    patient: Patient,
    therapist: User,
    sessions: Iterable[NeedlingSession],
    goal: str,
    start_date: date,
    review_date: date,
    items: Sequence[Mapping[str, Any]],
    form_token: UUID | None = None,
) -> StrengtheningPlan:
    """Write an active plan, its paired sessions and its exercises, all or nothing.

    A second submit of the same form (same `form_token`) returns the first's plan."""
    _check_therapist(therapist, patient)
    if patient.is_archived:
        raise ValidationError(PATIENT_ARCHIVED)
    return create_once(
        StrengtheningPlan,
        token=form_token,
        owner={"patient_id": patient.pk, "therapist_id": therapist.pk},
        create=lambda: _plan_write(
            StrengtheningPlan(
                patient=patient,
                therapist=therapist,
                goal=goal.strip(),
                start_date=start_date,
                review_date=review_date,
                status=PlanStatus.ACTIVE,
                form_token=form_token,
            ),
            sessions=sessions,
            items=items,
        ),
    )


def _plan_write(
    plan: StrengtheningPlan,
    *,
    sessions: Iterable[NeedlingSession],
    items: Sequence[Mapping[str, Any]],
) -> StrengtheningPlan:
    patient = plan.patient
    sessions = list(sessions)
    if not sessions:
        raise ValidationError({"sessions": NO_SESSIONS})
    if any(session.patient_id != patient.pk for session in sessions):
        raise ValidationError({"sessions": SESSION_OF_ANOTHER_PATIENT})
    if not items:
        raise ValidationError(NO_ITEMS)
    if len(items) > MAX_PLAN_ITEMS:
        raise ValidationError(TOO_MANY_ITEMS)
    if StrengtheningPlan.objects.filter(patient=patient).active().exists():
        raise ValidationError(ONE_ACTIVE_PLAN)
    plan.episode_id = max(sessions, key=lambda s: s.started_at).episode_id
    plan.full_clean()
    plan.save()
    for session in sessions:
        pairing = PlanPairing(plan=plan, session=session)
        pairing.full_clean()
        pairing.save()
    for values in items:
        item = PlanItem(plan=plan, **values)
        item.full_clean()
        item.save()
    record_version_bump(patient.pk)
    return plan


def _check_active(plan: StrengtheningPlan, actor: User) -> None:
    _check_therapist(actor, plan.patient)
    if not plan.is_active:
        raise ValidationError(PLAN_NOT_ACTIVE)


@transaction.atomic
def plan_end(
    *, plan: StrengtheningPlan, actor: User, status: str, reason: str = ""
) -> StrengtheningPlan:
    """Complete or stop an active plan; stopping needs a reason."""
    plan = StrengtheningPlan.objects.select_for_update().select_related("patient").get(pk=plan.pk)
    _check_active(plan, actor)
    if status not in {PlanStatus.COMPLETED, PlanStatus.STOPPED}:
        raise ValidationError(NOT_AN_END_STATUS)
    plan.status = status
    plan.stopped_reason = reason.strip() if status == PlanStatus.STOPPED else ""
    plan.ended_on = timezone.localdate()
    plan.full_clean()
    plan.save()
    record_version_bump(plan.patient_id)
    return plan


def _check_entry(plan: StrengtheningPlan, day: date, logs: Sequence[Mapping[str, Any]]) -> None:
    if day > timezone.localdate():
        raise ValidationError({"date": ENTRY_IN_FUTURE})
    if day < plan.start_date:
        raise ValidationError({"date": ENTRY_BEFORE_START.format(start=shown(plan.start_date))})
    if not logs:
        raise ValidationError(NO_LOGS)
    if any(values["item"].plan_id != plan.pk for values in logs):
        raise ValidationError(ITEM_OF_ANOTHER_PLAN)


def _write_entry(entry: AdherenceEntry, logs: Sequence[Mapping[str, Any]]) -> AdherenceEntry:
    entry.full_clean()
    entry.save()
    for values in logs:
        log = ExerciseLog(entry=entry, **values)
        log.full_clean()
        log.save()
    record_version_bump(entry.plan.patient_id)
    return entry


@transaction.atomic
def adherence_record(
    *,
    plan: StrengtheningPlan,
    recorded_by: User,
    date: date,
    sessions_completed: int,
    logs: Sequence[Mapping[str, Any]],
    notes: str = "",
    form_token: UUID | None = None,
) -> AdherenceEntry:
    """Record what the patient reports about the plan's exercises, one row per exercise."""
    _check_active(plan, recorded_by)
    _check_entry(plan, date, logs)
    entry = AdherenceEntry(
        plan=plan,
        source=EntrySource.VISIT,
        recorded_by=recorded_by,
        date=date,
        sessions_completed=sessions_completed,
        notes=notes.strip(),
        form_token=form_token,
    )

    return create_once(
        AdherenceEntry,
        token=form_token,
        owner={"plan_id": plan.pk, "recorded_by_id": recorded_by.pk},
        create=lambda: _write_entry(entry, logs),
    )


@transaction.atomic
def adherence_self_log(
    *, plan: StrengtheningPlan, date: date, logs: Sequence[Mapping[str, Any]], notes: str = ""
) -> AdherenceEntry:
    """The patient's own log of a day's exercise, through their plan link.

    Each day logged is one exercise session of that week: the entry counts the week's daily
    logs so far, so the week's adherence (the highest report of the week) grows with them. Its
    exercise logs count for the progression rule like those reported at a visit."""
    plan = StrengtheningPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_active:
        raise ValidationError(PLAN_NOT_ACTIVE)
    _check_entry(plan, date, logs)
    if plan.adherence_entries.filter(source=EntrySource.PATIENT_LOG, date=date).exists():
        raise ValidationError(ALREADY_LOGGED_TODAY)
    week_start = date - timedelta(days=date.weekday())
    earlier = plan.adherence_entries.filter(
        source=EntrySource.PATIENT_LOG, date__gte=week_start, date__lt=date
    ).count()
    entry = AdherenceEntry(
        plan=plan,
        source=EntrySource.PATIENT_LOG,
        recorded_by=None,
        date=date,
        sessions_completed=min(earlier + 1, MAX_FREQUENCY_PER_WEEK),
        notes=notes.strip(),
    )
    return _write_entry(entry, logs)


@transaction.atomic
def plan_item_progress(*, item: PlanItem, actor: User) -> Progression:
    """Apply the progression that the item's rule makes due; later logs count afresh."""
    item = PlanItem.objects.select_for_update().select_related("plan__patient").get(pk=item.pk)
    _check_active(item.plan, actor)
    logs = list(
        item.logs.filter(entry__created_at__gt=item.dosage_set_at)
        .select_related("entry")
        .order_by("-entry__date", "-entry__created_at")[: item.easy_logs_needed]
    )
    progression = progression_due(item=item, logs=logs)
    if not progression.due:
        raise ValidationError(PROGRESSION_NOT_DUE)
    for name, value in progression.changes.items():
        setattr(item, name, value)
    item.dosage_set_at = timezone.now()
    item.full_clean()
    item.save()
    record_version_bump(item.plan.patient_id)
    return progression


def exercise_suggestions(
    *, sessions: Iterable[NeedlingSession], exclude: Iterable[int] = ()
) -> list[Exercise]:
    """Active exercises loading the muscles needled in the sessions, most overlap first."""
    return list(Exercise.objects.active().suggested_for(sessions, exclude=exclude))
