"""Screenings: each checklist version as a Questionnaire (one canonical URL, a `version` per
edition), each screening as a QuestionnaireResponse of the version it was taken with, and each
finding (a "yes") as a Condition whose bodySite lists the screening's avoid-regions."""

from collections.abc import Iterator

from django.db.models import Prefetch

from patients.models import (
    ChecklistVersion,
    QuestionCategory,
    Screening,
    ScreeningAnswer,
    ScreeningOutcome,
    ScreeningQuestion,
)

from .codes import (
    CHECKLIST_URL,
    CONDITION_VERIFICATION_SYSTEM,
    FINDING_CLASS_SYSTEM,
    FINDING_SYSTEM,
    SCREENING_OUTCOME_SYSTEM,
)
from .common import Scope, coding, concept, day, instant, ref, region_site, stream

OUTCOME_ITEM = "outcome"
JUSTIFICATION_ITEM = "justification"
VALID_UNTIL_ITEM = "valid-until"
NOTES_ITEM = "notes"
CONFIRMED = ("confirmed", "Confirmed")
# A screening brings its ~30 answers along: fewer screenings per round trip keep memory flat.
SCREENINGS_PER_CHUNK = 200


def response_id(screening_id: int) -> str:
    return f"screening-{screening_id}"


def questionnaire_id(version_number: int) -> str:
    return f"screening-checklist-v{version_number}"


def questionnaire_canonical(version_number: int) -> str:
    """The canonical reference of one checklist version: `url|version`."""
    return f"{CHECKLIST_URL}|{version_number}"


def _question_groups(questions: list[ScreeningQuestion]) -> list[dict]:
    """The questions as boolean items, one group per class in the checklist's order."""
    groups = []
    for category in QuestionCategory:
        items = [
            {
                "linkId": question.code,
                "code": [coding(FINDING_SYSTEM, (question.code, question.text))],
                "text": question.text,
                "type": "boolean",
                "required": True,
            }
            for question in questions
            if question.category == category
        ]
        if items:
            groups.append(
                {"linkId": category.value, "text": category.label, "type": "group", "item": items}
            )
    return groups


def _record_items() -> list[dict]:
    """What the screening records beside the answers: its outcome, justification, expiry, notes."""
    outcomes = [
        {"valueCoding": coding(SCREENING_OUTCOME_SYSTEM, (o.value, o.label))}
        for o in ScreeningOutcome
    ]
    return [
        {
            "linkId": OUTCOME_ITEM,
            "text": "Outcome (computed from the answers)",
            "type": "choice",
            "readOnly": True,
            "answerOption": outcomes,
        },
        {
            "linkId": JUSTIFICATION_ITEM,
            "text": "Justification for needling with precautions",
            "type": "text",
        },
        {"linkId": VALID_UNTIL_ITEM, "text": "Valid until", "type": "dateTime", "readOnly": True},
        {"linkId": NOTES_ITEM, "text": "Notes", "type": "text"},
    ]


def questionnaire_resource(
    version: ChecklistVersion, questions: list[ScreeningQuestion], *, current: bool
) -> dict:
    """One checklist version with its questions as they were asked in it; the current version
    is `active`, earlier ones `retired` (their screenings still point to them)."""
    resource = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(version.number),
        "url": CHECKLIST_URL,
        "version": str(version.number),
        "name": "ScreeningChecklist",
        "title": "Dry-needling contraindication screening",
        "status": "active" if current else "retired",
        "date": day(version.introduced_on),
        "subjectType": ["Patient"],
        "item": [*_question_groups(questions), *_record_items()],
    }
    if version.summary:
        resource["description"] = version.summary
    return resource


def questionnaire_response_resource(screening: Screening) -> dict:
    answers = list(screening.answers.all())
    groups = []
    for category in QuestionCategory:
        items = [
            {
                "linkId": answer.question.code,
                "text": answer.question.text,
                "answer": [{"valueBoolean": answer.present}],
            }
            for answer in answers
            if answer.question.category == category
        ]
        if items:
            groups.append({"linkId": category.value, "text": category.label, "item": items})
    outcome = ScreeningOutcome(screening.outcome)
    items = [
        *groups,
        {
            "linkId": OUTCOME_ITEM,
            "answer": [
                {"valueCoding": coding(SCREENING_OUTCOME_SYSTEM, (outcome.value, outcome.label))}
            ],
        },
    ]
    if screening.justification:
        items.append(
            {"linkId": JUSTIFICATION_ITEM, "answer": [{"valueString": screening.justification}]}
        )
    items.append(
        {"linkId": VALID_UNTIL_ITEM, "answer": [{"valueDateTime": instant(screening.valid_until)}]}
    )
    if screening.notes:
        items.append({"linkId": NOTES_ITEM, "answer": [{"valueString": screening.notes}]})
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id(screening.pk),
        "questionnaire": questionnaire_canonical(screening.checklist_version.number),
        "status": "completed",
        "subject": ref("Patient", screening.patient_id),
        "authored": instant(screening.taken_at),
        "author": ref("Practitioner", screening.therapist_id),
        "item": items,
    }
    return resource


def condition_resource(answer: ScreeningAnswer, screening: Screening) -> dict:
    """A finding as recorded at the screening; whether it still holds is not known, so
    clinicalStatus is left out (allowed outside the problem list)."""
    question = answer.question
    category = QuestionCategory(answer.category)
    resource = {
        "resourceType": "Condition",
        "id": f"finding-{answer.pk}",
        "verificationStatus": concept(CONDITION_VERIFICATION_SYSTEM, CONFIRMED),
        "category": [concept(FINDING_CLASS_SYSTEM, (category.value, category.label))],
        "code": concept(FINDING_SYSTEM, (question.code, question.text), text=question.text),
        "subject": ref("Patient", screening.patient_id),
        "recordedDate": instant(screening.taken_at),
        "recorder": ref("Practitioner", screening.therapist_id),
        "evidence": [{"detail": [ref("QuestionnaireResponse", response_id(screening.pk))]}],
    }
    if question.needs_avoid_region:
        regions = [
            region_site(r.region, r.get_region_display(), r.side, r.get_side_display())
            for r in screening.avoid_regions.all()
        ]
        if regions:
            resource["bodySite"] = regions
    return resource


def _screenings(scope: Scope):
    answers = ScreeningAnswer.objects.select_related("question").order_by(
        "question__category", "question__order", "pk"
    )
    return stream(
        scope.rows(Screening.objects.all())
        .select_related("checklist_version")
        .prefetch_related(Prefetch("answers", queryset=answers), "avoid_regions")
        .order_by("pk"),
        chunk_size=SCREENINGS_PER_CHUNK,
    )


def questionnaires(scope: Scope) -> Iterator[dict]:
    """Every checklist version for a clinic; for one patient, the versions they were screened
    with."""
    versions = ChecklistVersion.objects.order_by("number")
    current = ChecklistVersion.objects.current()
    if scope.patient is not None:
        versions = versions.filter(screenings__patient=scope.patient).distinct()
    questions = ScreeningQuestion.objects.order_by("category", "order", "pk")
    for version in versions.prefetch_related(Prefetch("questions", queryset=questions)):
        yield questionnaire_resource(
            version, list(version.questions.all()), current=version == current
        )


def questionnaire_responses(scope: Scope) -> Iterator[dict]:
    for screening in _screenings(scope):
        yield questionnaire_response_resource(screening)


def conditions(scope: Scope) -> Iterator[dict]:
    for screening in _screenings(scope):
        for answer in screening.answers.all():
            if answer.present:
                yield condition_resource(answer, screening)
