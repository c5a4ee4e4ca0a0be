"""Outcomes: the immediate effect per session, overall and by muscle region. Pain across visits
against the MCID is the outcomes report card's (tests/reports/test_outcome_card.py)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from clinic.reports.tables import outcomes_report
from clinic.reports.tables.outcome_card import IMMEDIATE_EFFECT_LINK
from clinic.reports.tables.outcomes import COURSE_LINK, IMMEDIATE_EFFECT
from sessions.models import Muscle
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


def test_course_figures_are_left_to_the_report_card_with_links_both_ways(
    admin_client_, clinic, dataset
):
    figures = summary(outcomes_report(period(clinic, START, END)))
    query = f"?start={START}&end={END}"

    outcomes = admin_client_.get(reverse("reports:outcomes") + query).content.decode()
    card = admin_client_.get(reverse("reports:outcome_card") + query).content.decode()

    assert list(figures) == [
        "Sessions with pain before and after",
        "Mean pain before",
        "Mean pain after",
        IMMEDIATE_EFFECT,
    ]
    assert COURSE_LINK in outcomes
    assert f'href="{escape(reverse("reports:outcome_card") + query)}"' in outcomes
    assert IMMEDIATE_EFFECT_LINK in card
    assert f'href="{escape(reverse("reports:outcomes") + query)}"' in card


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
    assert figures[IMMEDIATE_EFFECT] == pytest.approx(-1.0)


def test_an_empty_period_says_no_data(clinic, dataset):
    report = outcomes_report(period(clinic, date(2020, 1, 1), date(2020, 1, 31)))

    assert report.table("summary").rows == []
    assert report.table("regions").rows == []
    assert report.charts == []
