"""Safety report: confirmed adverse events per 100 sessions with Wilson intervals."""

from datetime import date

import pytest

from clinic.reports.published import MILD_EVENT, SERIOUS_EVENT, published_for
from clinic.reports.tables import safety_report
from clinic.reports.tables.safety import PUBLISHED_COLUMN
from sessions.models import AdverseEventType, EventStatus, Severity
from tests.builders import at, column, period, row_of
from tests.factories import AdverseEventFactory, NeedlingSessionFactory, ScreeningFactory

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 2, 28)


def sessions(therapist, month: int, count: int) -> list:
    screening = ScreeningFactory(
        patient__clinic=therapist.clinic, therapist=therapist, taken_at=at(2025, month, 1, 8)
    )
    return [
        NeedlingSessionFactory(
            screening=screening, started_at=at(2025, month, 1 + day), signed=True
        )
        for day in range(count)
    ]


@pytest.fixture
def dataset(clinic, other_clinic, ann, ben):
    """Ann: 6 sessions in January; Ben: 4 in February. Confirmed events: Ann's first session a
    mild bruise and mild bleeding, her second a moderate bruise, Ben's first a pneumothorax."""
    ann_sessions, ben_sessions = sessions(ann, 1, 6), sessions(ben, 2, 4)
    AdverseEventFactory(session=ann_sessions[0], event_type=AdverseEventType.BRUISING)
    AdverseEventFactory(session=ann_sessions[0], event_type=AdverseEventType.BLEEDING)
    AdverseEventFactory(
        session=ann_sessions[1], event_type=AdverseEventType.BRUISING, severity=Severity.MODERATE
    )
    AdverseEventFactory(
        session=ben_sessions[0], event_type=AdverseEventType.PNEUMOTHORAX, severity=Severity.MAJOR
    )
    # Not counted: an escalation still in draft, a dismissed one, an event of a session
    # outside the period and another clinic's.
    AdverseEventFactory(
        session=ann_sessions[2],
        event_type=AdverseEventType.PAIN_AFTER,
        severity="",
        status=EventStatus.DRAFT,
    )
    AdverseEventFactory(
        session=ben_sessions[1], status=EventStatus.DISMISSED, decision_reason="Not a bruise."
    )
    AdverseEventFactory(session__started_at=at(2025, 3, 1), session__patient__clinic=clinic)
    AdverseEventFactory(
        session__screening__patient__clinic=other_clinic, session__started_at=at(2025, 1, 15)
    )


def quoted(key: str) -> str:
    return "; ".join(f"{rate.label}, {rate.short_source}" for rate in published_for(key))


def test_event_rates_by_severity_with_wilson_intervals(clinic, dataset):
    table = safety_report(period(clinic, START, END)).table("summary")

    # 3 of 10 sessions had an event: Wilson (0.107789, 0.603227); 1 of 10: (0.017876, 0.404156).
    any_event = row_of(table, "Any")
    assert any_event == {
        "Events": "Any",
        "Count": 4,
        "Sessions with one": 3,
        "Sessions": 10,
        "Per 100 sessions": 30.0,
        "95% CI from": 10.8,
        "95% CI to": 60.3,
        PUBLISHED_COLUMN: "",
    }
    major = row_of(table, "Major")
    figures = ("Count", "Sessions with one", "Per 100 sessions", "95% CI from", "95% CI to")
    assert [major[figure] for figure in figures] == [1, 1, 10.0, 1.8, 40.4]
    # 1 of 10 sessions had a mild event; 2 of 10 a moderate or major one (0.056681, 0.509843).
    mild, serious = row_of(table, "Mild"), row_of(table, "Moderate or major")
    assert [mild[figure] for figure in figures] == [2, 1, 10.0, 1.8, 40.4]
    assert [serious[figure] for figure in figures] == [2, 2, 20.0, 5.7, 51.0]
    assert mild[PUBLISHED_COLUMN] == quoted(MILD_EVENT)
    assert serious[PUBLISHED_COLUMN] == quoted(SERIOUS_EVENT)
    assert "36.7% (7,531 of 20,464 sessions)" in mild[PUBLISHED_COLUMN]


def test_events_by_type_and_severity_beside_the_published_rates(clinic, dataset):
    table = safety_report(period(clinic, START, END)).table("by_type")

    assert column(table, "Type") == [
        "Bruising",
        "Bleeding",
        "Pneumothorax",
        "Pain during treatment",
        "Pain/soreness after treatment",
        "Aggravation of symptoms",
        "Drowsiness/fatigue",
        "Headache",
        "Nausea",
    ]
    bruising = row_of(table, "Bruising")
    assert [bruising[k] for k in ("Mild", "Moderate", "Major", "Events", "Sessions with one")] == [
        1,
        1,
        0,
        2,
        2,
    ]
    # 2 of 10: Wilson (0.056681, 0.509843)
    assert [bruising[k] for k in ("Per 100 sessions", "95% CI from", "95% CI to")] == [
        20.0,
        5.7,
        51.0,
    ]
    assert bruising[PUBLISHED_COLUMN] == quoted(AdverseEventType.BRUISING)
    assert bruising[PUBLISHED_COLUMN].startswith("7.55% of 7,629 treatments, Brady et al. 2014")
    assert row_of(table, "Pneumothorax")["Major"] == 1
    # No event of a published type is still compared: 0 of 10, Wilson upper 0.277540.
    pain_after = row_of(table, "Pain/soreness after treatment")
    assert [pain_after[k] for k in ("Events", "Per 100 sessions", "95% CI to")] == [0, 0.0, 27.8]


def test_rates_per_therapist(clinic, dataset):
    table = safety_report(period(clinic, START, END)).table("by_therapist")

    # Ann: 2 of 6 sessions, Wilson (0.096769, 0.700012); Ben: 1 of 4, (0.045586, 0.699364).
    assert table.rows == [
        ["Ann Able", 6, 3, 2, 33.3, 9.7, 70.0, 0],
        ["Ben Baker", 4, 1, 1, 25.0, 4.6, 69.9, 1],
    ]


def test_rates_by_month_and_their_chart(clinic, dataset):
    report = safety_report(period(clinic, START, END))

    assert report.table("by_month").rows == [
        [date(2025, 1, 1), 6, 2, 33.3],
        [date(2025, 2, 1), 4, 1, 25.0],
    ]
    [chart] = report.charts
    bars = [(bar.label, bar.value) for bar in chart.bars]
    assert bars == [("Jan 2025", 33.3), ("Feb 2025", 25.0)]
    assert chart.bars[0].height > chart.bars[1].height


def test_therapist_filter(clinic, dataset, ben):
    table = safety_report(period(clinic, START, END, therapist=ben)).table("summary")

    assert row_of(table, "Any")["Sessions"] == 4
    assert row_of(table, "Major")["Count"] == 1


def test_an_empty_period_has_no_rates_and_no_chart(clinic, dataset):
    report = safety_report(period(clinic, date(2020, 1, 1), date(2020, 1, 31)))

    assert report.table("summary").rows == []
    assert report.table("by_type").rows == []
    assert report.charts == []
    # The published figures are always there for reference.
    assert report.table("published").rows
