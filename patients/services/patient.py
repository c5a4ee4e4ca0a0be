"""Business rules for patients and contraindication screening."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.accounts.models import Role, User
from clinic.lib.form_tokens import create_once

from ..models import (
    MRN_IN_USE,
    MRN_UNIQUE_CONSTRAINT,
    AvoidRegion,
    ChecklistVersion,
    Patient,
    QuestionCategory,
    Screening,
    ScreeningAnswer,
    ScreeningOutcome,
    ScreeningQuestion,
)
from .versions import record_version_bump

DOB_IN_FUTURE = "Date of birth cannot be in the future."
PATIENT_ARCHIVED = "This patient is archived; restore them before recording care."
NOT_A_THERAPIST = "Only a physical therapist of the patient's clinic can record a screening."
MISSING_ANSWERS = "Answer every screening question (missing: {questions})."
UNKNOWN_QUESTION = "The screening checklist changed while you were filling it in; reload the page."
JUSTIFICATION_REQUIRED = (
    "Precautions apply (a relative or regional contraindication): write why needling is still "
    "appropriate."
)
AVOID_REGION_REQUIRED = "Name the body region(s) to avoid for: {questions}."
TAKEN_IN_FUTURE = "A screening cannot be dated in the future."
CLINIC_FIXED = "A patient stays with the clinic that registered them."
OLDER_CHECKLIST = (
    "Taken with checklist version {number}; the checklist has changed since: screen the "
    "patient again to ask the current questions."
)


def patient_register(*, clinic, form_token: UUID | None = None, **fields) -> Patient:
    """Register a patient. A second submit of the same form (same `form_token`) returns the
    first's patient instead of finding its MRN in use."""

    def register() -> Patient:
        patient = Patient(clinic=clinic, form_token=form_token, **fields)
        _check_dob(patient.date_of_birth)
        patient.full_clean()
        _save_unless_mrn_taken(patient)
        return patient

    return create_once(Patient, token=form_token, owner={"clinic_id": clinic.pk}, create=register)


@transaction.atomic
def patient_update(*, patient: Patient, **fields) -> Patient:
    """Change a patient's details. The clinic never changes: every record (follow-up checks
    keep a copy of it) is scoped through it."""
    if {"clinic", "clinic_id"} & fields.keys():
        raise ValidationError(CLINIC_FIXED)
    for name, value in fields.items():
        setattr(patient, name, value)
    _check_dob(patient.date_of_birth)
    patient.full_clean()
    _save_unless_mrn_taken(patient)
    record_version_bump(patient.pk)
    return patient


def _save_unless_mrn_taken(patient: Patient) -> None:
    """`full_clean` has checked the MRN, but another request may have taken it since: the
    database's unique index decides, and the loser gets the same message."""
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError as error:
        if MRN_UNIQUE_CONSTRAINT not in str(error):
            raise
        raise ValidationError({"mrn": MRN_IN_USE}) from error


@transaction.atomic
def patient_archive(*, patient: Patient) -> Patient:
    if patient.archived_at is None:
        patient.archived_at = timezone.now()
        patient.save(update_fields=["archived_at", "updated_at"])
        record_version_bump(patient.pk)
    return patient


@transaction.atomic
def patient_restore(*, patient: Patient) -> Patient:
    if patient.archived_at is not None:
        patient.archived_at = None
        patient.save(update_fields=["archived_at", "updated_at"])
        record_version_bump(patient.pk)
    return patient


def _check_dob(value: date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({"date_of_birth": DOB_IN_FUTURE})


PRECAUTION_CLASSES = frozenset({QuestionCategory.RELATIVE, QuestionCategory.REGIONAL})


def screening_outcome(categories_present: Iterable[str]) -> ScreeningOutcome:
    """Any red flag refers; else any absolute contraindication blocks; else any relative or
    regional one clears with precautions (a regional one also names the regions the gate
    refuses); else cleared."""
    present = set(categories_present)
    if QuestionCategory.RED_FLAG in present:
        return ScreeningOutcome.REFER
    if QuestionCategory.ABSOLUTE in present:
        return ScreeningOutcome.NOT_CLEARED
    if present & PRECAUTION_CLASSES:
        return ScreeningOutcome.CLEARED_WITH_PRECAUTIONS
    return ScreeningOutcome.CLEARED


@transaction.atomic
def screening_record(
    *,
    patient: Patient,
    therapist: User,
    answers: Mapping[int, bool],
    avoid_regions: Iterable[tuple[str, str]] = (),
    justification: str = "",
    notes: str = "",
    taken_at: datetime | None = None,
    form_token: UUID | None = None,
) -> Screening:
    """Record a screening with one answer per question of the current checklist version; the
    outcome is computed here, and the screening keeps the version it was taken with.

    A second submit of the same form (same `form_token`) returns the first's screening."""
    return create_once(
        Screening,
        token=form_token,
        owner={"patient_id": patient.pk, "therapist_id": therapist.pk},
        create=lambda: _screening_create(
            patient=patient,
            therapist=therapist,
            answers=answers,
            avoid_regions=avoid_regions,
            justification=justification,
            notes=notes,
            taken_at=taken_at,
            form_token=form_token,
        ),
    )


def _findings(
    questions: list[ScreeningQuestion], answers: Mapping[int, bool]
) -> list[ScreeningQuestion]:
    """The questions answered yes; every question of the version must be answered, and only
    those."""
    by_id = {question.pk: question for question in questions}
    if set(answers) - set(by_id):
        raise ValidationError(UNKNOWN_QUESTION)
    missing = [question.text for question in questions if answers.get(question.pk) is None]
    if missing:
        raise ValidationError(MISSING_ANSWERS.format(questions="; ".join(missing)))
    return [by_id[pk] for pk, value in answers.items() if value]


def _screening_create(
    *,
    patient: Patient,
    therapist: User,
    answers: Mapping[int, bool],
    avoid_regions: Iterable[tuple[str, str]],
    justification: str,
    notes: str,
    taken_at: datetime | None,
    form_token: UUID | None,
) -> Screening:
    now = timezone.now()
    taken_at = taken_at or now
    if taken_at > now:
        raise ValidationError(TAKEN_IN_FUTURE)
    if therapist.role != Role.THERAPIST or therapist.clinic_id != patient.clinic_id:
        raise ValidationError(NOT_A_THERAPIST)
    if patient.is_archived:
        raise ValidationError(PATIENT_ARCHIVED)

    version = ChecklistVersion.objects.current()
    questions = list(ScreeningQuestion.objects.filter(version=version).order_by("order", "pk"))
    present = _findings(questions, answers)
    outcome = screening_outcome(question.category for question in present)
    justification = justification.strip()
    if outcome == ScreeningOutcome.CLEARED_WITH_PRECAUTIONS and not justification:
        raise ValidationError({"justification": JUSTIFICATION_REQUIRED})
    regions = sorted(set(avoid_regions))
    needing_region = [question.text for question in present if question.needs_avoid_region]
    if needing_region and not regions:
        raise ValidationError(
            {"avoid_regions": AVOID_REGION_REQUIRED.format(questions="; ".join(needing_region))}
        )

    screening = Screening(
        patient=patient,
        therapist=therapist,
        checklist_version=version,
        taken_at=taken_at,
        valid_until=taken_at + timedelta(days=patient.clinic.screening_validity_days),
        outcome=outcome,
        justification=justification,
        notes=notes.strip(),
        form_token=form_token,
    )
    screening.full_clean()
    screening.save()
    # Row by row, not bulk_create, so the audit trail records every answer.
    for question in questions:
        ScreeningAnswer.objects.create(
            screening=screening,
            question=question,
            category=question.category,
            present=answers[question.pk],
        )
    for region, side in regions:
        AvoidRegion.objects.create(screening=screening, region=region, side=side)
    record_version_bump(patient.pk)
    return screening
