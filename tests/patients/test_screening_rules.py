from datetime import timedelta
from itertools import product

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from patients import services
from patients.models import (
    BodyRegion,
    ChecklistVersion,
    QuestionCategory,
    Screening,
    ScreeningAnswer,
    ScreeningImmutableError,
    ScreeningOutcome,
    Side,
)
from tests.builders import answers_with
from tests.factories import ClinicAdminFactory, PatientFactory, ScreeningFactory

CLASS_FLAGS = ("red", "absolute", "regional", "relative")
EVERY_COMBINATION = list(product([False, True], repeat=len(CLASS_FLAGS)))


def expected_outcome(red: bool, absolute: bool, regional: bool, relative: bool) -> str:
    if red:
        return ScreeningOutcome.REFER
    if absolute:
        return ScreeningOutcome.NOT_CLEARED
    if regional or relative:
        return ScreeningOutcome.CLEARED_WITH_PRECAUTIONS
    return ScreeningOutcome.CLEARED


@pytest.mark.parametrize(CLASS_FLAGS, EVERY_COMBINATION)
def test_screening_outcome_for_every_class_combination(red, absolute, regional, relative):
    present = [
        category
        for category, flag in [
            (QuestionCategory.RED_FLAG, red),
            (QuestionCategory.ABSOLUTE, absolute),
            (QuestionCategory.REGIONAL, regional),
            (QuestionCategory.RELATIVE, relative),
        ]
        if flag
    ]

    assert services.screening_outcome(present) == expected_outcome(
        red, absolute, regional, relative
    )


@pytest.mark.django_db
@pytest.mark.parametrize(CLASS_FLAGS, EVERY_COMBINATION)
def test_screening_record_stores_the_computed_outcome(
    therapist, checklist, red, absolute, regional, relative
):
    patient = PatientFactory(clinic=therapist.clinic)
    present = []
    if red:
        present.append(checklist[QuestionCategory.RED_FLAG][0])
    if absolute:
        present.append(checklist[QuestionCategory.ABSOLUTE][0])
    if regional:
        present.append(checklist[QuestionCategory.REGIONAL][0])
    if relative:
        present.append(checklist[QuestionCategory.RELATIVE][0])

    screening = services.screening_record(
        patient=patient,
        therapist=therapist,
        answers=answers_with(checklist, *present),
        avoid_regions=[(BodyRegion.LEG, Side.LEFT)] if regional else (),
        justification="Shallow needling, pressure after.",
    )

    assert screening.outcome == expected_outcome(red, absolute, regional, relative)
    assert screening.answers.count() == sum(len(group) for group in checklist.values())
    assert screening.answers.filter(present=True).count() == len(present)


@pytest.mark.django_db
def test_current_checklist_has_every_class(checklist):
    counts = {category: len(questions) for category, questions in checklist.items()}

    assert counts == {
        QuestionCategory.RED_FLAG: 11,
        QuestionCategory.ABSOLUTE: 3,
        QuestionCategory.REGIONAL: 5,
        QuestionCategory.RELATIVE: 18,
    }


@pytest.mark.django_db
def test_precautions_need_a_written_justification(therapist, checklist):
    patient = PatientFactory(clinic=therapist.clinic)
    relative = checklist[QuestionCategory.RELATIVE][0]

    with pytest.raises(ValidationError) as error:
        services.screening_record(
            patient=patient,
            therapist=therapist,
            answers=answers_with(checklist, relative),
            justification="   ",
        )

    assert services.JUSTIFICATION_REQUIRED in error.value.messages
    assert not Screening.objects.exists()


@pytest.mark.django_db
def test_database_refuses_precautions_without_justification(therapist):
    patient = PatientFactory(clinic=therapist.clinic)

    with pytest.raises(IntegrityError):
        Screening.objects.create(
            patient=patient,
            therapist=therapist,
            checklist_version=ChecklistVersion.objects.current(),
            taken_at=timezone.now(),
            valid_until=timezone.now() + timedelta(days=30),
            outcome=ScreeningOutcome.CLEARED_WITH_PRECAUTIONS,
            justification="",
        )


@pytest.mark.django_db
def test_missing_answers_are_refused_and_nothing_is_written(therapist, checklist):
    patient = PatientFactory(clinic=therapist.clinic)
    answers = answers_with(checklist)
    skipped = checklist[QuestionCategory.RED_FLAG][0]
    del answers[skipped.pk]

    with pytest.raises(ValidationError) as error:
        services.screening_record(patient=patient, therapist=therapist, answers=answers)

    assert skipped.text in error.value.messages[0]
    assert not Screening.objects.exists()
    assert not ScreeningAnswer.objects.exists()


@pytest.mark.django_db
def test_region_specific_finding_must_name_the_region_to_avoid(therapist, checklist):
    patient = PatientFactory(clinic=therapist.clinic)
    surgery = next(q for q in checklist[QuestionCategory.REGIONAL] if q.code == "recent-surgery")

    with pytest.raises(ValidationError, match="region"):
        services.screening_record(
            patient=patient,
            therapist=therapist,
            answers=answers_with(checklist, surgery),
            justification="Away from the operated knee.",
        )

    screening = services.screening_record(
        patient=patient,
        therapist=therapist,
        answers=answers_with(checklist, surgery),
        justification="Away from the operated knee.",
        avoid_regions=[(BodyRegion.THIGH, Side.LEFT)],
    )
    assert [str(r) for r in screening.avoid_regions.all()] == ["Thigh (left)"]


@pytest.mark.django_db
def test_screening_expires_after_the_clinic_validity_period(therapist, checklist):
    therapist.clinic.screening_validity_days = 30
    therapist.clinic.save()
    patient = PatientFactory(clinic=therapist.clinic)
    taken = timezone.now() - timedelta(days=1)

    screening = services.screening_record(
        patient=patient, therapist=therapist, answers=answers_with(checklist), taken_at=taken
    )

    assert screening.valid_until == taken + timedelta(days=30)
    assert screening.is_valid_at(taken + timedelta(days=30) - timedelta(seconds=1))
    assert not screening.is_valid_at(taken + timedelta(days=30))
    with time_machine.travel(taken + timedelta(days=31)):
        assert screening.is_expired
        assert not Screening.objects.valid_at().exists()
    with time_machine.travel(taken + timedelta(days=29)):
        assert list(Screening.objects.valid_at()) == [screening]


@pytest.mark.django_db
def test_only_a_therapist_of_the_patients_clinic_can_screen(
    therapist, other_clinic_therapist, checklist
):
    patient = PatientFactory(clinic=therapist.clinic)
    admin = ClinicAdminFactory(clinic=therapist.clinic)

    for who in (other_clinic_therapist, admin):
        with pytest.raises(ValidationError, match="Only a physical therapist"):
            services.screening_record(
                patient=patient, therapist=who, answers=answers_with(checklist)
            )
    assert not Screening.objects.exists()


@pytest.mark.django_db
def test_archived_patients_cannot_be_screened(therapist, checklist):
    patient = services.patient_archive(patient=PatientFactory(clinic=therapist.clinic))

    with pytest.raises(ValidationError, match="archived"):
        services.screening_record(
            patient=patient, therapist=therapist, answers=answers_with(checklist)
        )


@pytest.mark.django_db
def test_saved_screenings_cannot_be_changed():
    screening = ScreeningFactory()
    screening.notes = "changed afterwards"

    with pytest.raises(ScreeningImmutableError):
        screening.save()
    screening.refresh_from_db()
    assert screening.notes == ""
