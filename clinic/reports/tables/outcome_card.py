"""The outcomes report card: per instrument, and per body region and therapist, the episodes of
care with a baseline and a discharge score, their mean change and the share reaching the
instrument's MID, with 95% confidence intervals; episodes without a discharge score are counted
and shown, never dropped."""

from sessions.rules.mcid import MCID_TEXT

from ..selectors.base import ReportFilter
from ..selectors.outcome_card import (
    ALL,
    CardRow,
    CourseRow,
    card_rows,
    course_rows,
    episode_results,
)
from .base import ROWS_SHOWN, Link, Report, Table, one_decimal, rate_cells, report_url

COLUMNS = [
    "Episodes scored",
    "With baseline and discharge",
    "Without a discharge score",
    "Mean change (positive = better)",
    "Change 95% CI low",
    "Change 95% CI high",
    "Reached the MID",
    "Reached the MID (%)",
    "Reached 95% CI low",
    "Reached 95% CI high",
    "MID",
]
COURSE_TITLE = "Pain before needling across visits (NPRS), per episode"
COURSE_COLUMNS = [
    "Episodes with pain scored",
    "With a later score",
    "Mean change, first to latest (negative = less pain)",
    "Change 95% CI low",
    "Change 95% CI high",
    "Reached the MCID",
    "Reached the MCID (% of those with a later score and a baseline above 0)",
    "Reached 95% CI low",
    "Reached 95% CI high",
]
COURSE_NOTE = (
    "Each episode's pain before needling from its baseline (the episode's first pre-treatment "
    "NPRS: an NPRS taken at intake, or the pain before needling at its first signed session) to "
    "its latest score, against the clinic's MCID rule: {rule}. A baseline of 0 is not "
    "applicable. The change within one session is the immediate effect: see the outcomes report."
)
IMMEDIATE_EFFECT_LINK = "Immediate effect of each session: the outcomes report"
NOTE = (
    "Episodes of care opened in the period. The change runs from the first score before "
    "discharge (for pain, the episode's first pre-treatment score) to the discharge score; an "
    "episode scored without a discharge score is counted apart, never dropped. Intervals: 95%, "
    "Student's t for the mean change, Wilson for the share reaching the MID. MIDs and their "
    "sources: see each instrument."
)


def outcome_card_report(
    report_filter: ReportFilter, *, row_limit: int | None = ROWS_SHOWN
) -> Report:
    """The report card's tables: per instrument, by body region, by therapist (a row per
    instrument and group: never more than a page holds, so `row_limit` has nothing to cut)."""
    results, courses = episode_results(report_filter)
    tables = [
        Table("by_instrument", "Per instrument", ["Instrument", *COLUMNS], note=NOTE),
        Table(
            "by_region", "Per instrument and body region", ["Instrument", "Body region", *COLUMNS]
        ),
        Table(
            "by_therapist", "Per instrument and therapist", ["Instrument", "Therapist", *COLUMNS]
        ),
    ]
    groups = [None, lambda r: r.region, lambda r: r.therapist]
    for table, group in zip(tables, groups, strict=True):
        for row in card_rows(results, group or (lambda r: ALL)):
            table.rows.append([row.spec.name, *([row.group] if group else []), *card_cells(row)])
    tables.append(course_table(report_filter, courses))
    return Report(
        "outcome_card",
        "Outcomes report card",
        tables,
        related=[Link(IMMEDIATE_EFFECT_LINK, report_url("outcomes", report_filter))],
    )


def course_table(report_filter: ReportFilter, courses) -> Table:
    return Table(
        "pain_course",
        COURSE_TITLE,
        ["Group", *COURSE_COLUMNS],
        [[row.group, *course_cells(row)] for row in course_rows(courses)],
        note=COURSE_NOTE.format(rule=MCID_TEXT[report_filter.clinic.mcid_rule]),
    )


def course_cells(row: CourseRow) -> list:
    change = row.change
    return [
        row.episodes,
        row.with_later,
        one_decimal(change.mean) if change else None,
        one_decimal(change.low) if change else None,
        one_decimal(change.high) if change else None,
        row.reached,
        *rate_cells(row.reached, row.applicable),
    ]


def card_cells(row: CardRow) -> list:
    change = row.change
    return [
        row.scored,
        row.complete,
        row.without_discharge,
        one_decimal(change.mean) if change else None,
        one_decimal(change.low) if change else None,
        one_decimal(change.high) if change else None,
        row.reached,
        *rate_cells(row.reached, row.complete),
        f"{row.spec.mid} {row.spec.unit} ({row.spec.mid_source})",
    ]
