from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from patients import services
from patients.models import (
    AvoidRegion,
    BodyRegion,
    ChecklistVersion,
    QuestionCategory,
    Screening,
    ScreeningAnswer,
    ScreeningOutcome,
    ScreeningQuestion,
    Side,
)
from tests.builders import answers_with
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

REGIONAL_CODES = ["lymphedema", "local-infection", "tumour", "radiotherapy", "recent-surgery"]
ADDED_RELATIVE_CODES = [
    "vascular-disease",
    "heart-valve",
    "previous-reaction",
    "psychological-state",
]


def by_code(checklist) -> dict[str, ScreeningQuestion]:
    return {q.code: q for group in checklist.values() for q in group}


@pytest.mark.parametrize("code", REGIONAL_CODES)
def test_a_regional_finding_clears_with_precautions_and_keeps_its_regions(
    therapist, checklist, code
):
    patient = PatientFactory(clinic=therapist.clinic)
    question = by_code(checklist)[code]

    screening = services.screening_record(
        patient=patient,
        therapist=therapist,
        answers=answers_with(checklist, question),
        avoid_regions=[(BodyRegion.UPPER_ARM, Side.LEFT)],
        justification="Right side only, away from the left arm.",
    )

    assert question.category == QuestionCategory.REGIONAL
    assert screening.outcome == ScreeningOutcome.CLEARED_WITH_PRECAUTIONS
    assert [(r.region, r.side) for r in screening.avoid_regions.all()] == [
        (BodyRegion.UPPER_ARM, Side.LEFT)
    ]


@pytest.mark.parametrize(
    ("regions", "justification", "message"),
    [
        ((), "Right side only.", services.AVOID_REGION_REQUIRED.split("{")[0]),
        ([(BodyRegion.UPPER_ARM, Side.LEFT)], "  ", services.JUSTIFICATION_REQUIRED),
    ],
)
def test_a_regional_finding_without_regions_or_justification_writes_nothing(
    therapist, checklist, regions, justification, message
):
    patient = PatientFactory(clinic=therapist.clinic)

    with pytest.raises(ValidationError) as error:
        services.screening_record(
            patient=patient,
            therapist=therapist,
            answers=answers_with(checklist, by_code(checklist)["lymphedema"]),
            avoid_regions=regions,
            justification=justification,
        )

    assert any(text.startswith(message) for text in error.value.messages)
    assert not Screening.objects.exists()
    assert not ScreeningAnswer.objects.exists()
    assert not AvoidRegion.objects.exists()


@pytest.mark.parametrize("code", ADDED_RELATIVE_CODES)
def test_added_precautions_clear_with_precautions(therapist, checklist, code):
    patient = PatientFactory(clinic=therapist.clinic)
    question = by_code(checklist)[code]

    screening = services.screening_record(
        patient=patient,
        therapist=therapist,
        answers=answers_with(checklist, question),
        justification="Explained the risk; fewer insertions.",
    )

    assert question.category == QuestionCategory.RELATIVE
    assert screening.outcome == ScreeningOutcome.CLEARED_WITH_PRECAUTIONS


def test_current_checklist_classes_follow_the_guidance(checklist):
    questions = by_code(checklist)

    assert questions["no-consent"].category == QuestionCategory.ABSOLUTE
    assert questions["bleeding-disorder"].category == QuestionCategory.RELATIVE
    assert questions["bleeding-disorder"].superficial_only
    assert [code for code, q in questions.items() if q.superficial_only] == ["bleeding-disorder"]
    assert sorted(q.code for q in checklist[QuestionCategory.REGIONAL]) == sorted(REGIONAL_CODES)
    assert all(q.needs_avoid_region for q in checklist[QuestionCategory.REGIONAL])
    assert not any(
        q.needs_avoid_region
        for category, group in checklist.items()
        if category != QuestionCategory.REGIONAL
        for q in group
    )


def test_a_screening_keeps_the_checklist_version_it_was_taken_with(therapist, checklist):
    patient = PatientFactory(clinic=therapist.clinic)
    current = ChecklistVersion.objects.current()

    screening = services.screening_record(
        patient=patient, therapist=therapist, answers=answers_with(checklist)
    )

    assert screening.checklist_version == current
    assert {a.question.version_id for a in screening.answers.select_related("question")} == {
        current.pk
    }


def older_screening(therapist, patient) -> Screening:
    """A screening taken with version 1, where lymphoedema blocked the whole patient."""
    version_1 = ChecklistVersion.objects.get(number=1)
    screening = Screening.objects.create(
        patient=patient,
        therapist=therapist,
        checklist_version=version_1,
        taken_at=timezone.now() - timedelta(days=2),
        valid_until=timezone.now() + timedelta(days=28),
        outcome=ScreeningOutcome.NOT_CLEARED,
    )
    for question in version_1.questions.all():
        ScreeningAnswer.objects.create(
            screening=screening,
            question=question,
            category=question.category,
            present=question.code == "lymphedema",
        )
    return screening


def test_a_screening_on_an_older_version_reads_as_asked_and_is_flagged(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)
    screening = older_screening(therapist, patient)
    asked = screening.answers.get(present=True)

    patient_page = therapist_client.get(patient.get_absolute_url()).content.decode()
    screening_page = therapist_client.get(screening.get_absolute_url()).content.decode()

    assert services.OLDER_CHECKLIST.format(number=1) in patient_page
    assert asked.question.text in screening_page
    assert asked.get_category_display() in screening_page
    assert "Checklist version 1" in screening_page


def test_a_screening_on_the_current_version_is_not_flagged(therapist_client, therapist, checklist):
    patient = PatientFactory(clinic=therapist.clinic)
    older_screening(therapist, patient)
    services.screening_record(patient=patient, therapist=therapist, answers=answers_with(checklist))

    page = therapist_client.get(patient.get_absolute_url()).content.decode()

    assert services.OLDER_CHECKLIST.format(number=1) not in page


def test_the_screening_form_asks_the_current_version_by_class(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)

    page = therapist_client.get(reverse("patients:screening_create", args=[patient.pk]))

    html = page.content.decode()
    assert QuestionCategory.REGIONAL.label in html
    for question in ScreeningQuestion.objects.active():
        assert f'name="q_{question.pk}"' in html
    older = ScreeningQuestion.objects.filter(version__number=1).first()
    assert f'name="q_{older.pk}"' not in html


def test_an_answer_to_an_older_versions_question_is_refused(therapist, checklist):
    patient = PatientFactory(clinic=therapist.clinic)
    older = ScreeningQuestion.objects.filter(version__number=1).first()
    answers = answers_with(checklist) | {older.pk: False}

    with pytest.raises(ValidationError) as error:
        services.screening_record(patient=patient, therapist=therapist, answers=answers)

    assert services.UNKNOWN_QUESTION in error.value.messages
    assert not Screening.objects.exists()


def test_a_screening_dated_in_the_future_is_refused(therapist, checklist):
    patient = PatientFactory(clinic=therapist.clinic)

    with pytest.raises(ValidationError) as error:
        services.screening_record(
            patient=patient,
            therapist=therapist,
            answers=answers_with(checklist),
            taken_at=timezone.now() + timedelta(minutes=2),
        )

    assert services.TAKEN_IN_FUTURE in error.value.messages
    assert not Screening.objects.exists()
