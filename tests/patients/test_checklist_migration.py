"""The migrations that version the checklist keep every saved screening's outcome.

The database is taken back to before checklist versions, filled with screenings of every
outcome (including lymphoedema and a bleeding disorder, which version 1 asked as absolute
contraindications), then migrated forward.
"""

from datetime import timedelta
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from patients.models import ChecklistVersion, QuestionCategory, Screening, ScreeningQuestion
from patients.services import screening_outcome
from tests.factories import ClinicFactory, TherapistFactory

BEFORE_VERSIONS = [("patients", "0005_mrn_unique_whatever_the_case")]

# outcome -> the version 1 findings behind it
SAVED = {
    "refer": ["fever-chills"],
    "not_cleared": ["lymphedema"],
    "not_cleared_bleeding": ["bleeding-disorder"],
    "precautions": ["recent-surgery", "anticoagulants"],
    "cleared": [],
}
STORED_OUTCOME = {
    "refer": "refer",
    "not_cleared": "not_cleared",
    "not_cleared_bleeding": "not_cleared",
    "precautions": "precautions",
    "cleared": "cleared",
}


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def as_answered(answers) -> list[tuple]:
    return sorted((a.question.code, a.question.text, a.category, a.present) for a in answers)


def fill_before_versions(apps) -> dict[int, list[tuple]]:
    """Screenings of every outcome, as version 1 asked them: {screening id: its answers}."""
    # Staff tables are not taken back: they are created with today's models.
    therapist = TherapistFactory(clinic=ClinicFactory(name="Before versions"))
    # Version 1 as its data migration seeds it, whatever earlier tests left in the tables.
    import_module("patients.migrations.0002_seed_screening_checklist").seed(apps, None)
    patient_model = apps.get_model("patients", "Patient")
    screening_model = apps.get_model("patients", "Screening")
    answer_model = apps.get_model("patients", "ScreeningAnswer")
    questions = list(apps.get_model("patients", "ScreeningQuestion").objects.filter(active=True))
    now = timezone.now()
    ids = {}
    for index, (name, codes) in enumerate(SAVED.items()):
        patient = patient_model.objects.create(
            clinic_id=therapist.clinic_id,
            mrn=f"V{index}",
            first_name="Saved",
            last_name=name,
            date_of_birth="1980-01-01",
            sex="female",
        )
        screening = screening_model.objects.create(
            patient=patient,
            therapist_id=therapist.pk,
            taken_at=now - timedelta(days=1),
            valid_until=now + timedelta(days=29),
            outcome=STORED_OUTCOME[name],
            justification="Away from the operated knee." if name == "precautions" else "",
        )
        for question in questions:
            answer_model.objects.create(
                screening=screening,
                question=question,
                category=question.category,
                present=question.code in codes,
            )
        ids[screening.pk] = as_answered(screening.answers.select_related("question"))
    return ids


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_versioning_the_checklist_keeps_every_saved_outcome():
    executor = migrate(BEFORE_VERSIONS)
    saved = fill_before_versions(executor.loader.project_state(BEFORE_VERSIONS).apps)

    migrate(executor.loader.graph.leaf_nodes())

    version_1 = ChecklistVersion.objects.get(number=1)
    screenings = Screening.objects.filter(pk__in=saved).select_related("patient")
    assert {s.patient.last_name: s.outcome for s in screenings} == STORED_OUTCOME
    for screening in screenings:
        answers = screening.answers.select_related("question")
        assert screening.checklist_version == version_1
        assert as_answered(answers) == saved[screening.pk]
        assert screening_outcome(a.category for a in answers if a.present) == screening.outcome
    current = {q.code: q for q in ScreeningQuestion.objects.active()}
    assert current["lymphedema"].category == QuestionCategory.REGIONAL
    assert current["bleeding-disorder"].category == QuestionCategory.RELATIVE
    assert current["recent-surgery"].category == QuestionCategory.REGIONAL
    assert ChecklistVersion.objects.current().number == 2
