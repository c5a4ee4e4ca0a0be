"""The follow-up compliance report: soreness checks done on time, early, late or missed, per
therapist, and the escalations waiting for a decision."""

from ..selectors import followup as selectors
from ..selectors.base import ReportFilter, first_rows
from .base import ROWS_SHOWN, DateColumn, Link, Report, Table, patient_link, percent, staff_name

COMPLIANCE_COLUMNS = [
    "Therapist",
    "Checks",
    "On time",
    "Early",
    "Late",
    "Missed",
    "Still scheduled",
    "Closed early (resolved)",
    "Recorded by staff",
    "Self-reported by the patient",
    "On time (%)",
    "Early (%)",
    "Late (%)",
    "Missed (%)",
]


def compliance_row(name: str, row: dict) -> list:
    due = row["on_time"] + row["early"] + row["late"] + row["missed"]
    counts = [
        row[k]
        for k in (
            "checks",
            "on_time",
            "early",
            "late",
            "missed",
            "pending",
            "closed",
            "by_staff",
            "self_reported",
        )
    ]
    shares = [percent(row[k], due) for k in ("on_time", "early", "late", "missed")]
    return [name, *counts, *shares]


def followup_report(report_filter: ReportFilter, *, row_limit: int | None = ROWS_SHOWN) -> Report:
    return Report(
        "followup",
        "Follow-up compliance",
        [compliance_table(report_filter), escalations_table(report_filter, row_limit)],
    )


def compliance_table(report_filter: ReportFilter) -> Table:
    rows = [
        compliance_row(
            staff_name(row["session__therapist__first_name"], row["therapist_last_name"]), row
        )
        for row in selectors.followup_compliance_by_therapist(report_filter)
    ]
    totals = selectors.followup_compliance_totals(report_filter)
    if rows and not report_filter.therapist:
        rows.append(compliance_row("All therapists", totals))
    return Table(
        "compliance",
        "Soreness follow-up checks of the period's sessions",
        COMPLIANCE_COLUMNS,
        rows,
        note="Shares are of checks done or missed; checks still scheduled or closed because "
        "soreness had resolved are counted but not in the shares. Checks done are recorded "
        "by staff (a call, a visit or a message) or self-reported by the patient through "
        "their follow-up link.",
    )


def escalations_table(report_filter: ReportFilter, row_limit: int | None) -> Table:
    escalations, total = first_rows(
        selectors.open_escalations(clinic=report_filter.clinic, therapist=report_filter.therapist),
        row_limit,
    )
    return Table(
        "escalations",
        "Open escalations: draft adverse events to confirm or dismiss (today)",
        [DateColumn("Onset"), "Patient", "Therapist", "Follow-up", "Description"],
        [
            [
                Link(e.onset_at, e.get_absolute_url()),
                patient_link(e.session.patient),
                str(e.session.therapist),
                f"{e.escalated_from.hours_after} h check" if e.escalated_from else None,
                e.description,
            ]
            for e in escalations
        ],
        empty="No escalation is waiting for a decision.",
        total=total,
    )
