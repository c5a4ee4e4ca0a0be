"""Outcomes: the immediate effect per session, patients reaching the MCID across visits, by
muscle region."""

from datetime import date
from itertools import product

import pytest

from clinic.accounts.models import McidRule
from clinic.reports.selectors import outcomes as selectors
from clinic.reports.tables import outcomes_report
from clinic.reports.tables.outcomes import (
    COURSE_CHANGE,
    IMMEDIATE_EFFECT,
    MCID_REACHED,
    MCID_SHARE,
)
from sessions.models import Muscle
from sessions.rules.mcid import MCID_TEXT, NPRS_MAX, mcid_reached
from tests.builders import at, column, period, row_of
from tests.factories import (
    NeedlingSessionFactory,
    PatientFactory,
    ScreeningFactory,
    TherapistFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db

START, END = date(2025, 2, 1), date(2025, 2, 28)
NECK, HIP = "Upper trapezius", "Gluteus medius"  # shoulder, pelvis/hip


def course(therapist, *visits):
    """A patient's sessions: ((month, day), pain before, pain after, muscles needled)."""
    patient = PatientFactory(clinic=therapist.clinic)
    screening = ScreeningFactory(patient=patient, therapist=therapist, taken_at=at(2025, 1, 25))
    for (month, day), before, after, muscles in visits:
        session = NeedlingSessionFactory(
            screening=screening,
            started_at=at(2025, month, day),
            pain_before=before,
            pain_after=after,
        )
        for name in muscles:
            TriggerPointSiteFactory(session=session, muscle=Muscle.objects.get(name=name))
    return patient


@pytest.fixture
def dataset(clinic, other_clinic, ann, ben):
    course(
        ann,
        ((1, 31), 10, 0, [HIP]),  # before the period: not the start of the course
        ((2, 3), 8, 5, [HIP, "Piriformis", NECK]),  # -3: MCID
        ((2, 10), 6, 5, [HIP]),  # -1 (17%)
        ((2, 17), 5, 2, []),  # -3: MCID
    )
    course(ann, ((2, 5), 4, 4, [NECK]), ((2, 12), 4, 3, [NECK, "Infraspinatus"]))  # 0; -1 (25%)
    course(ben, ((2, 6), 3, 2, [HIP]), ((2, 20), 7, None, [HIP]))  # -1 (33%): MCID; no after
    course(TherapistFactory(clinic=other_clinic), ((2, 6), 9, 0, [HIP]))


def summary(report) -> dict:
    return dict(report.table("summary").rows)


def test_mean_pain_change_per_session(clinic, dataset):
    figures = summary(outcomes_report(period(clinic, START, END)))

    # Six sessions with pain after: before 30/6, after 21/6, immediate effect -9/6.
    assert figures["Sessions with pain before and after"] == 6
    assert figures["Mean pain before"] == pytest.approx(5.0)
    assert figures["Mean pain after"] == pytest.approx(3.5)
    assert figures[IMMEDIATE_EFFECT] == pytest.approx(-1.5)


def test_patients_reaching_the_mcid_between_pre_treatment_scores(clinic, dataset):
    figures = summary(outcomes_report(period(clinic, START, END)))

    # Pain before needling, first to latest visit: 8 -> 5 (MCID), 4 -> 4, 3 -> 7 (worse);
    # the within-session falls (8 -> 5, 5 -> 2) are immediate effects, not the MCID.
    reached = MCID_REACHED.format(rule=MCID_TEXT[McidRule.POINTS_OR_PERCENT])
    assert figures["Patients treated"] == 3
    assert figures["Patients with a later visit"] == 3
    assert figures[COURSE_CHANGE] == pytest.approx(0.3)
    assert figures[reached] == 1
    assert figures[MCID_SHARE] == pytest.approx(33.3)


EFFECT = "Mean immediate effect (after - before)"


def test_outcomes_by_muscle_region_count_each_session_once_per_region(clinic, dataset):
    table = outcomes_report(period(clinic, START, END)).table("regions")

    assert column(table, "Region") == ["Shoulder", "Pelvis/hip"]
    # Shoulder: -3, 0, -1 (two shoulder muscles in one session count once).
    shoulder = row_of(table, "Shoulder")
    assert shoulder["Sessions"] == 3
    assert shoulder[EFFECT] == pytest.approx(-1.3)
    # Pelvis/hip: -3, -1, -1 (Ben's draft without pain after is left out).
    hip = row_of(table, "Pelvis/hip")
    assert hip["Sessions"] == 3
    assert hip[EFFECT] == pytest.approx(-1.7)


def test_distribution_of_pain_change_and_its_chart(clinic, dataset):
    report = outcomes_report(period(clinic, START, END))

    assert report.table("distribution").rows == [[-3, 2], [-1, 3], [0, 1]]
    [chart] = report.charts
    assert [(bar.label, bar.value) for bar in chart.bars] == [
        ("-3", 2),
        ("-2", 0),
        ("-1", 3),
        ("0", 1),
    ]


def test_therapist_filter(clinic, dataset, ben):
    figures = summary(outcomes_report(period(clinic, START, END, therapist=ben)))

    assert figures["Sessions with pain before and after"] == 1
    assert figures[MCID_SHARE] == pytest.approx(0.0)


def test_an_empty_period_says_no_data(clinic, dataset):
    report = outcomes_report(period(clinic, date(2020, 1, 1), date(2020, 1, 31)))

    assert report.table("summary").rows == []
    assert report.table("regions").rows == []
    assert report.charts == []


SCORES = range(NPRS_MAX + 1)


def test_report_and_rule_agree_on_every_baseline_and_later_score(clinic, ann):
    pairs = {
        course(ann, ((2, 3), b, b, []), ((2, 17), later, later, [])).pk: (b, later)
        for b, later in product(SCORES, SCORES)
    }
    for rule in McidRule.values:
        clinic.mcid_rule = rule
        clinic.save()
        report_filter = period(clinic, START, END)

        reached = dict(selectors.patient_courses(report_filter).values_list("pk", "reached_mcid"))
        totals = selectors.patient_course_outcomes(report_filter)

        expected = {
            pk: bool(mcid_reached(baseline=b, later=later, rule=rule))
            for pk, (b, later) in pairs.items()
        }
        assert {pk: bool(value) for pk, value in reached.items()} == expected, rule
        assert totals["reached_mcid"] == sum(expected.values())
        assert totals["applicable"] == len(SCORES) * (len(SCORES) - 1)
