"""The safety report: confirmed adverse events per 100 sessions, against published rates."""

from sessions.models import AdverseEventType

from ..charts import BarChart, bar_chart
from ..published import (
    KEY_LABELS,
    MILD_EVENT,
    PUBLISHED_RATES,
    SERIOUS_EVENT,
    SEVERITY_MAPPING,
    published_for,
)
from ..selectors import safety as selectors
from ..selectors.base import ReportFilter
from .base import (
    ROWS_SHOWN,
    DateColumn,
    Month,
    Report,
    Table,
    local_date,
    percent,
    rate_cells,
    report_cell,
    staff_name,
)

RATE_COLUMNS = ["Per 100 sessions", "95% CI from", "95% CI to"]
PUBLISHED_COLUMN = "Published (per treatment)"


def safety_report(report_filter: ReportFilter, *, row_limit: int | None = ROWS_SHOWN) -> Report:
    totals = selectors.safety_totals(report_filter)
    tables = [
        summary_table(totals),
        by_type_table(report_filter, totals["sessions"]),
        by_therapist_table(report_filter),
        by_month_table(report_filter),
        sources_table(),
    ]
    by_month = tables[3]
    charts = [monthly_chart(by_month)] if by_month.rows else []
    return Report("safety", "Safety", tables, charts=charts)


def summary_table(totals: dict[str, int]) -> Table:
    sessions = totals["sessions"]
    return Table(
        "summary",
        "Confirmed adverse events per 100 sessions",
        ["Events", "Count", "Sessions with one", "Sessions", *RATE_COLUMNS, PUBLISHED_COLUMN],
        [
            [label, events, with_event, sessions]
            + rate_cells(with_event, sessions)
            + [published_text(key)]
            for label, events, with_event, key in (
                ("Any", totals["events"], totals["sessions_with_event"], ""),
                ("Mild", totals["mild_events"], totals["sessions_with_mild"], MILD_EVENT),
                (
                    "Moderate or major",
                    totals["serious_events"],
                    totals["sessions_with_serious"],
                    SERIOUS_EVENT,
                ),
                ("Major", totals["major_events"], totals["sessions_with_major"], ""),
            )
        ]
        if sessions
        else [],
        note="95% CI: Wilson score interval. Rates count sessions with at least one event. "
        + SEVERITY_MAPPING,
    )


def by_type_table(report_filter: ReportFilter, sessions: int) -> Table:
    by_type_rows = {
        row["event_type"]: row for row in selectors.adverse_events_by_type(report_filter)
    }
    published_types = dict.fromkeys(
        r.key for r in PUBLISHED_RATES if r.key in AdverseEventType.values
    )
    shown_types = list(by_type_rows) + [t for t in published_types if t not in by_type_rows]
    type_labels = dict(AdverseEventType.choices)
    empty_type = {"events": 0, "sessions": 0, "mild": 0, "moderate": 0, "major": 0}
    return Table(
        "by_type",
        "Confirmed adverse events by type and severity",
        [
            "Type",
            "Mild",
            "Moderate",
            "Major",
            "Events",
            "Sessions with one",
            *RATE_COLUMNS,
            PUBLISHED_COLUMN,
        ],
        [
            [
                type_labels[event_type],
                row["mild"],
                row["moderate"],
                row["major"],
                row["events"],
                row["sessions"],
            ]
            + rate_cells(row["sessions"], sessions)
            + [published_text(event_type)]
            for event_type in shown_types
            for row in [by_type_rows.get(event_type, empty_type)]
        ]
        if sessions
        else [],
    )


def by_therapist_table(report_filter: ReportFilter) -> Table:
    return Table(
        "by_therapist",
        "By therapist",
        [
            "Therapist",
            "Sessions",
            "Events",
            "Sessions with one",
            *RATE_COLUMNS,
            "Major events",
        ],
        [
            [
                staff_name(row["therapist__first_name"], row["therapist__last_name"]),
                row["sessions"],
                row["events"],
                row["sessions_with_event"],
            ]
            + rate_cells(row["sessions_with_event"], row["sessions"])
            + [row["major_events"]]
            for row in selectors.safety_by_therapist(report_filter)
        ],
    )


def by_month_table(report_filter: ReportFilter) -> Table:
    return Table(
        "by_month",
        "By month",
        [DateColumn("Month"), "Sessions", "Sessions with an event", "Per 100 sessions"],
        [
            [
                Month.of(local_date(row["month"])),
                row["sessions"],
                row["sessions_with_event"],
                percent(row["sessions_with_event"], row["sessions"]),
            ]
            for row in selectors.safety_by_month(report_filter)
        ],
    )


def sources_table() -> Table:
    type_labels = dict(AdverseEventType.choices)
    return Table(
        "published",
        "Published rates per treatment, with their denominators",
        ["Events", "Published", "Denominator", "Source"],
        [
            [
                type_labels.get(rate.key) or KEY_LABELS[rate.key],
                rate.label,
                rate.denominator,
                rate.citation,
            ]
            for rate in PUBLISHED_RATES
        ],
        note=SEVERITY_MAPPING,
    )


def monthly_chart(by_month: Table) -> BarChart:
    labelled = [(report_cell(row[0]), row) for row in by_month.rows]
    return bar_chart(
        title="Sessions with a confirmed adverse event, per 100 sessions, by month",
        description="Monthly rate; the 'By month' table has the figures.",
        data=[(month, row[3] or 0, f"{month}: {row[3]} per 100") for month, row in labelled],
    )


def published_text(key: str) -> str:
    return "; ".join(f"{rate.label}, {rate.short_source}" for rate in published_for(key))
