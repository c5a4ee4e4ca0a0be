"""The outcomes report: NPRS pain before and after treatment, per session, over each patient's
course and by muscle region, against the MCID."""

from patients.models import BodyRegion
from sessions.rules.mcid import MCID_PERCENT, MCID_POINTS

from ..charts import BarChart, bar_chart
from ..selectors import outcomes as selectors
from ..selectors.base import ReportFilter
from .base import ROWS_SHOWN, Report, Table, one_decimal, percent

MCID_TEXT = f"{MCID_POINTS}-point or {MCID_PERCENT}% reduction"


def outcomes_report(report_filter: ReportFilter, *, row_limit: int | None = ROWS_SHOWN) -> Report:
    tables = [
        summary_table(report_filter),
        by_region_table(report_filter),
        distribution_table(report_filter),
    ]
    distribution = tables[2]
    charts = [distribution_chart(distribution)] if distribution.rows else []
    return Report("outcomes", "Outcomes", tables, charts=charts)


def summary_table(report_filter: ReportFilter) -> Table:
    sessions = selectors.session_outcome_totals(report_filter)
    courses = selectors.patient_course_outcomes(report_filter)
    return Table(
        "summary",
        "Pain (NPRS 0-10) before and after treatment",
        ["Figure", "Value"],
        [
            ["Sessions with pain before and after", sessions["sessions"]],
            ["Mean pain before", one_decimal(sessions["mean_before"])],
            ["Mean pain after", one_decimal(sessions["mean_after"])],
            ["Mean change per session (after - before)", one_decimal(sessions["mean_change"])],
            [f"Sessions reaching the MCID ({MCID_TEXT})", sessions["reached_mcid"]],
            [
                "Sessions reaching the MCID (%)",
                percent(sessions["reached_mcid"], sessions["sessions"]),
            ],
            ["Patients treated", courses["patients"]],
            [
                "Mean change over the course (last session after - first session before)",
                one_decimal(courses["mean_change"]),
            ],
            [f"Patients reaching the MCID over the course ({MCID_TEXT})", courses["reached_mcid"]],
            [
                "Patients reaching the MCID (%)",
                percent(courses["reached_mcid"], courses["patients"]),
            ],
        ]
        if sessions["sessions"]
        else [],
        note="A patient's course runs from their first session's pain before to their last "
        "session's pain after, within the period.",
    )


def by_region_table(report_filter: ReportFilter) -> Table:
    regions = selectors.outcomes_by_region(report_filter)
    region_labels = dict(BodyRegion.choices)
    return Table(
        "regions",
        "By muscle region needled",
        ["Region", "Sessions", "Mean change", "Sessions reaching the MCID", "Share (%)"],
        [
            [
                region_labels[region],
                figures["sessions"],
                one_decimal(figures["mean_change"]),
                figures["reached_mcid"],
                percent(figures["reached_mcid"], figures["sessions"]),
            ]
            for region, figures in regions.items()
            if figures["sessions"]
        ],
        note="A session that needled several regions counts in each.",
    )


def distribution_table(report_filter: ReportFilter) -> Table:
    return Table(
        "distribution",
        "Change in pain per session",
        ["Change (after - before)", "Sessions"],
        [
            [row["change"], row["sessions"]]
            for row in selectors.pain_change_distribution(report_filter)
        ],
    )


def distribution_chart(distribution: Table) -> BarChart:
    return bar_chart(
        title="Change in pain per session (NPRS points, after - before)",
        description="Sessions by change in pain; negative is less pain. "
        "The 'Change in pain per session' table has the figures.",
        data=change_histogram(distribution.rows),
    )


def change_histogram(rows: list[list]) -> list[tuple[str, int, str]]:
    """Every change from the smallest to the largest seen, so gaps show as empty bars."""
    counts = dict(rows)
    bars = []
    for change in range(min(counts), max(counts) + 1):
        label = f"{change:+d}" if change else "0"
        bars.append((label, counts.get(change, 0), f"{label}: {counts.get(change, 0)} sessions"))
    return bars
