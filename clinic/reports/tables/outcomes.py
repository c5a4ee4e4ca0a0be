"""The outcomes report: the immediate effect of each session (NPRS pain before and after
needling), overall and by muscle region. The course figures (pain across visits against the
MCID, and the functional instruments) are the outcomes report card's."""

from patients.models import BodyRegion

from ..charts import BarChart, bar_chart
from ..selectors import outcomes as selectors
from ..selectors.base import ReportFilter
from .base import ROWS_SHOWN, Link, Report, Table, one_decimal, report_url

IMMEDIATE_EFFECT = "Mean immediate effect per session (pain after - before needling)"
OUTCOMES_NOTE = (
    "The change within one session is the immediate effect, not the MCID. Pain across visits "
    "of an episode against the MCID is on the outcomes report card."
)
COURSE_LINK = "Pain across visits against the MCID, per episode: the outcomes report card"


def outcomes_report(report_filter: ReportFilter, *, row_limit: int | None = ROWS_SHOWN) -> Report:
    tables = [
        summary_table(report_filter),
        by_region_table(report_filter),
        distribution_table(report_filter),
    ]
    distribution = tables[2]
    charts = [distribution_chart(distribution)] if distribution.rows else []
    return Report(
        "outcomes",
        "Outcomes",
        tables,
        charts=charts,
        related=[Link(COURSE_LINK, report_url("outcome_card", report_filter))],
    )


def summary_table(report_filter: ReportFilter) -> Table:
    sessions = selectors.session_outcome_totals(report_filter)
    return Table(
        "summary",
        "Pain (NPRS 0-10): immediate effect of each session",
        ["Figure", "Value"],
        [
            ["Sessions with pain before and after", sessions["sessions"]],
            ["Mean pain before", one_decimal(sessions["mean_before"])],
            ["Mean pain after", one_decimal(sessions["mean_after"])],
            [IMMEDIATE_EFFECT, one_decimal(sessions["mean_change"])],
        ]
        if sessions["sessions"]
        else [],
        note=OUTCOMES_NOTE,
    )


def by_region_table(report_filter: ReportFilter) -> Table:
    regions = selectors.outcomes_by_region(report_filter)
    region_labels = dict(BodyRegion.choices)
    return Table(
        "regions",
        "By muscle region needled",
        ["Region", "Sessions", "Mean immediate effect (after - before)"],
        [
            [region_labels[region], figures["sessions"], one_decimal(figures["mean_change"])]
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
