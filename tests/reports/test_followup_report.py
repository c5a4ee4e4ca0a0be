"""Follow-up compliance: soreness checks on time / early / late / missed, by therapist."""

from datetime import date, timedelta

import pytest

from clinic.reports.tables import followup_report
from sessions.models import CheckStatus, ContactMethod, EventStatus, SorenessCheck, Timeliness
from tests.builders import at, period
from tests.factories import AdverseEventFactory, NeedlingSessionFactory, SorenessCheckFactory

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 1, 31)


def checks(therapist, day: int, *outcomes, month: int = 1) -> list:
    """One check per outcome (a Timeliness for a done check, or a CheckStatus)."""
    session = NeedlingSessionFactory(
        screening__patient__clinic=therapist.clinic,
        screening__therapist=therapist,
        screening__taken_at=at(2025, month, day, 8),
        signed=True,
    )
    made = []
    for index, outcome in enumerate(outcomes):
        hours = 24 * (index + 1)
        fields = {"status": outcome}
        if outcome in Timeliness.values:
            fields = {
                "status": CheckStatus.DONE,
                "timeliness": outcome,
                "done_at": session.started_at + timedelta(hours=hours),
                "method": ContactMethod.PHONE,
                "soreness": 2,
            }
        made.append(SorenessCheckFactory(session=session, hours_after=hours, **fields))
    return made


@pytest.fixture
def dataset(clinic, other_clinic, ann, ben):
    ann_first = checks(ann, 3, Timeliness.ON_TIME, Timeliness.EARLY, CheckStatus.MISSED)
    checks(ann, 10, Timeliness.LATE, CheckStatus.CLOSED, CheckStatus.SCHEDULED)
    ben_checks = checks(ben, 5, Timeliness.ON_TIME, Timeliness.ON_TIME, CheckStatus.MISSED)
    checks(ann, 3, CheckStatus.MISSED, month=2)  # outside the period
    AdverseEventFactory(
        session=ann_first[2].session,
        escalated_from=ann_first[2],
        severity="",
        status=EventStatus.DRAFT,
        description="Still sore at 72 h.",
    )
    AdverseEventFactory(
        session=ben_checks[2].session,
        escalated_from=ben_checks[2],
        severity="",
        status=EventStatus.DRAFT,
    )
    AdverseEventFactory(session=ben_checks[0].session)  # confirmed: not open
    AdverseEventFactory(session__screening__patient__clinic=other_clinic, status=EventStatus.DRAFT)


def test_compliance_by_therapist_with_a_clinic_total(clinic, dataset):
    table = followup_report(period(clinic, START, END)).table("compliance")

    # Shares are of the checks done or missed: Ann 4, Ben 3, the clinic 7.
    assert table.rows == [
        ["Ann Able", 6, 1, 1, 1, 1, 1, 1, 3, 0, 25.0, 25.0, 25.0, 25.0],
        ["Ben Baker", 3, 2, 0, 0, 1, 0, 0, 2, 0, 66.7, 0.0, 0.0, 33.3],
        ["All therapists", 9, 3, 1, 1, 2, 1, 1, 5, 0, 42.9, 14.3, 14.3, 28.6],
    ]


def test_self_reports_are_counted_apart_from_staff_entries(clinic, ann):
    on_time, late = checks(ann, 3, Timeliness.ON_TIME, Timeliness.LATE)
    SorenessCheck.objects.filter(pk=late.pk).update(method=ContactMethod.SELF_REPORT)

    table = followup_report(period(clinic, START, END)).table("compliance")

    by_staff = table.columns.index("Recorded by staff")
    assert table.rows[0][by_staff : by_staff + 2] == [1, 1]
    assert table.columns[by_staff + 1] == "Self-reported by the patient"


def test_therapist_filter_shows_only_their_checks_and_escalations(clinic, dataset, ben):
    report = followup_report(period(clinic, START, END, therapist=ben))

    assert report.table("compliance").rows == [
        ["Ben Baker", 3, 2, 0, 0, 1, 0, 0, 2, 0, 66.7, 0.0, 0.0, 33.3]
    ]
    [escalation] = report.table("escalations").rows
    assert escalation[2] == "Ben Baker"


def test_open_escalations_are_the_clinics_draft_adverse_events(clinic, dataset):
    rows = followup_report(period(clinic, START, END)).table("escalations").rows

    assert [(row[2], row[3]) for row in rows] == [
        ("Ann Able", "72 h check"),
        ("Ben Baker", "72 h check"),
    ]
    assert rows[0][4] == "Still sore at 72 h."


def test_a_page_lists_the_first_escalations_and_counts_them_all(clinic, dataset):
    every = followup_report(period(clinic, START, END)).table("escalations")
    page = followup_report(period(clinic, START, END), row_limit=1).table("escalations")

    assert page.rows == every.rows[:1]
    assert page.row_count == len(every.rows) == 2


def test_an_empty_period_has_no_shares(clinic, dataset):
    report = followup_report(period(clinic, date(2020, 1, 1), date(2020, 1, 31)))

    assert report.table("compliance").rows == []
