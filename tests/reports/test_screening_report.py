"""Screening report figures against a small hand-counted dataset."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from clinic.reports.tables import screening_report
from clinic.reports.tables.base import NO_DATA
from clinic.reports.tables.screening import (
    EXPIRED_BEFORE,
    INTEGRITY_TITLE,
    OTHER_PATIENT,
    TAKEN_AFTER,
)
from patients.models import QuestionCategory, ScreeningAnswer, ScreeningOutcome, ScreeningQuestion
from sessions.models import GateOutcome
from tests.builders import at, column, period
from tests.factories import NeedlingSessionFactory, PatientFactory, ScreeningFactory

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 3, 31)


def screening(patient, therapist, taken_at, outcome, *found, **kwargs):
    """A screening with the given questions answered "yes" (category snapshot included)."""
    stored = ScreeningFactory(
        patient=patient, therapist=therapist, taken_at=taken_at, outcome=outcome, **kwargs
    )
    for question in found:
        ScreeningAnswer.objects.create(
            screening=stored, question=question, category=question.category, present=True
        )
    return stored


@pytest.fixture
def dataset(clinic, other_clinic, ann, ben, checklist):
    red1, red2, red3 = checklist["red_flag"][:3]
    absolute = checklist["absolute"][0]
    relative = checklist["relative"][0]
    patients = {name: PatientFactory(clinic=clinic, first_name=name) for name in "ABCDE"}
    cleared_a = screening(patients["A"], ann, at(2025, 1, 10, 9), ScreeningOutcome.CLEARED)
    cleared_b = screening(patients["B"], ben, at(2025, 2, 1, 9), ScreeningOutcome.CLEARED)
    precautions = screening(
        patients["C"],
        ann,
        at(2025, 2, 10, 9),
        ScreeningOutcome.CLEARED_WITH_PRECAUTIONS,
        relative,
        justification="Avoiding the left arm.",
    )
    screening(patients["D"], ann, at(2025, 3, 1, 9), ScreeningOutcome.REFER, red2, red1)
    ScreeningAnswer.objects.create(
        screening=patients["D"].screenings.get(),
        question=red3,
        category=red3.category,
        present=False,
    )
    screening(patients["E"], ben, at(2025, 3, 5, 9), ScreeningOutcome.NOT_CLEARED, absolute)
    # Outside the period (either side of it) and in another clinic: never counted.
    screening(patients["A"], ann, at(2024, 12, 31, 23), ScreeningOutcome.REFER, red1)
    screening(patients["A"], ann, at(2025, 4, 1, 0), ScreeningOutcome.REFER, red1)
    other = ScreeningFactory(patient__clinic=other_clinic, taken_at=at(2025, 2, 1))
    screening(other.patient, other.therapist, at(2025, 2, 2), ScreeningOutcome.REFER, red1)

    NeedlingSessionFactory(screening=cleared_a, started_at=at(2025, 1, 10, 10))
    NeedlingSessionFactory(
        screening=precautions,
        started_at=at(2025, 2, 10, 10),
        gate_outcome=GateOutcome.PRECAUTIONS,
    )
    bad = {
        "taken after": NeedlingSessionFactory(screening=cleared_b, started_at=at(2025, 1, 31)),
        "expired": NeedlingSessionFactory(screening=cleared_b, started_at=cleared_b.valid_until),
        "other patient": NeedlingSessionFactory(
            screening=cleared_a,
            patient=patients["E"],
            therapist=ben,
            started_at=at(2025, 1, 12),
        ),
    }
    return {"patients": patients, "bad": bad, "red": (red1, red2), "checklist": checklist}


def test_screenings_are_counted_by_outcome_within_the_period(clinic, dataset):
    report = screening_report(period(clinic, START, END))

    table = report.table("outcomes")
    assert column(table, "Outcome") == [label for _, label in ScreeningOutcome.choices]
    assert column(table, "Screenings") == [2, 1, 1, 1]
    assert column(table, "Share (%)") == [40.0, 20.0, 20.0, 20.0]


def test_each_red_flag_and_contraindication_found_is_counted_red_flags_first(clinic, dataset):
    red1, red2 = dataset["red"]
    checklist = dataset["checklist"]

    table = screening_report(period(clinic, START, END)).table("findings")

    assert column(table, "Finding") == sorted([red1.text, red2.text]) + [
        checklist["absolute"][0].text,
        checklist["relative"][0].text,
    ]
    assert column(table, "Screenings") == [1, 1, 1, 1]
    assert column(table, "Share of screenings (%)") == [20.0] * 4


def test_referrals_list_the_patient_their_red_flags_and_the_date(clinic, dataset):
    red1, red2 = dataset["red"]

    table = screening_report(period(clinic, START, END)).table("referrals")

    [row] = table.rows
    assert row[0] == date(2025, 3, 1)
    assert row[1].text == dataset["patients"]["D"].full_name
    assert row[1].url == dataset["patients"]["D"].get_absolute_url()
    assert row[3] == f"{red1.text}; {red2.text}"


def test_sessions_under_precautions_show_the_justification(clinic, dataset):
    table = screening_report(period(clinic, START, END)).table("precautions")

    assert column(table, "Justification") == ["Avoiding the left arm."]


def test_integrity_line_counts_and_lists_sessions_without_a_valid_screening(clinic, dataset):
    report = screening_report(period(clinic, START, END))

    assert report.alerts[0].level == "danger"
    assert report.alerts[0].text.startswith(f"{INTEGRITY_TITLE}: 3")
    table = report.table("integrity")
    assert sorted(column(table, "Problem")) == [
        EXPIRED_BEFORE,
        OTHER_PATIENT,
        TAKEN_AFTER,
    ]
    assert {cell.url for cell in column(table, "Session")} == {
        session.get_absolute_url() for session in dataset["bad"].values()
    }


def test_a_page_reads_only_the_rows_it_shows_and_counts_them_all(clinic, dataset):
    every = screening_report(period(clinic, START, END)).table("integrity")
    page = screening_report(period(clinic, START, END), row_limit=1)

    table = page.table("integrity")
    assert table.rows == every.rows[:1]
    assert table.row_count == len(every.rows) == 3
    assert page.alerts[0].text.startswith(f"{INTEGRITY_TITLE}: 3")


def test_integrity_line_is_zero_when_every_session_had_a_valid_screening(clinic, ann):
    ok = ScreeningFactory(patient__clinic=clinic, therapist=ann, taken_at=at(2025, 1, 5))
    NeedlingSessionFactory(screening=ok, started_at=ok.valid_until - timedelta(seconds=1))

    report = screening_report(period(clinic, START, END))

    assert report.alerts[0].level == "success"
    assert report.alerts[0].text == f"{INTEGRITY_TITLE}: 0"
    assert report.table("integrity").rows == []


def test_integrity_line_agrees_with_the_safety_gate(clinic, ann):
    ok = ScreeningFactory(patient__clinic=clinic, therapist=ann, taken_at=at(2025, 1, 5, 10, 7, 30))
    same_minute = NeedlingSessionFactory(screening=ok, started_at=at(2025, 1, 5, 10, 7))
    refer = ScreeningFactory(
        patient__clinic=clinic, therapist=ann, taken_at=at(2025, 1, 6), outcome="refer"
    )
    refused = NeedlingSessionFactory(screening=refer, started_at=at(2025, 1, 6, 1))

    report = screening_report(period(clinic, START, END))

    table = report.table("integrity")
    assert {cell.url for cell in column(table, "Session")} == {refused.get_absolute_url()}
    assert column(table, "Problem") == ["screening outcome: refer to physician"]
    assert same_minute.get_absolute_url() not in str(table.rows)


def test_therapist_filter_keeps_only_their_screenings_and_sessions(clinic, dataset, ben):
    report = screening_report(period(clinic, START, END, therapist=ben))

    assert column(report.table("outcomes"), "Screenings") == [1, 0, 1, 0]
    assert len(report.table("integrity").rows) == 3  # all three bad sessions are Ben's


def test_active_patients_with_an_expired_screening_are_listed_as_of_today(
    clinic, other_clinic, ann
):
    now = timezone.now()
    expired = ScreeningFactory(
        patient__clinic=clinic, therapist=ann, taken_at=now - timedelta(days=40)
    ).patient
    rescreened = ScreeningFactory(
        patient__clinic=clinic, therapist=ann, taken_at=now - timedelta(days=40)
    ).patient
    ScreeningFactory(patient=rescreened, therapist=ann, taken_at=now - timedelta(days=1))
    archived = ScreeningFactory(
        patient__clinic=clinic,
        patient__archived_at=now,
        therapist=ann,
        taken_at=now - timedelta(days=40),
    ).patient
    PatientFactory(clinic=clinic)  # never screened: not "expired"
    ScreeningFactory(patient__clinic=other_clinic, taken_at=now - timedelta(days=40))

    table = screening_report(period(clinic, START, END)).table("expired")

    assert [cell.text for cell in column(table, "Patient")] == [expired.full_name]
    assert archived.full_name not in str(table.rows)
    assert column(table, "Expired on") == [(now - timedelta(days=10)).date()]


def test_an_empty_period_says_no_data_without_dividing_by_zero(clinic, dataset):
    report = screening_report(period(clinic, date(2020, 1, 1), date(2020, 1, 31)))

    assert report.table("outcomes").rows == []
    assert report.table("outcomes").empty == NO_DATA
    assert report.alerts[0].text == f"{INTEGRITY_TITLE}: 0"


def test_findings_are_counted_by_question_code_across_checklist_versions(clinic, ann):
    older = ScreeningQuestion.objects.get(version__number=1, code="anticoagulants")
    current = ScreeningQuestion.objects.active().get(code="anticoagulants")
    patient = PatientFactory(clinic=clinic)
    precautions = ScreeningOutcome.CLEARED_WITH_PRECAUTIONS
    screening(
        patient,
        ann,
        at(2025, 1, 10),
        precautions,
        older,
        checklist_version=older.version,
    )
    screening(patient, ann, at(2025, 2, 10), precautions, current)

    table = screening_report(period(clinic, START, END)).table("findings")

    assert table.rows == [
        [QuestionCategory.RELATIVE.label, max(older.text, current.text), 2, 100.0]
    ]
