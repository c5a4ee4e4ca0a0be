"""The four reports as tables: the one source for the page and its CSV exports.

A builder turns the selectors' aggregates into rows; it never counts or averages rows itself.
Cells are plain values (text, numbers, dates, None for "no value") or a Link.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from clinic.accounts.models import Clinic, User
from patients.models import BodyRegion, QuestionCategory, ScreeningOutcome
from sessions.models import AdverseEventType

from . import selectors
from .charts import BarChart, bar_chart
from .published import ANY_EVENT, MAJOR_EVENT, PUBLISHED_RATES, published_for
from .stats import MCID_PERCENT, MCID_POINTS, Proportion

NO_DATA = "No data in this period."


@dataclass(frozen=True)
class Link:
    text: str
    url: str

    def __str__(self) -> str:
        return self.text


# A page lists at most this many rows of a table (a whole clinic's expired screenings can run
# to thousands); the CSV export has every row.
ROWS_SHOWN = 200


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    empty: str = NO_DATA
    # For a list of records on a page: how many rows there are in all (the page reads 200).
    total: int | None = None

    @property
    def shown_rows(self) -> list[list]:
        """The rows the page shows; the CSV export always has them all."""
        return self.rows[:ROWS_SHOWN]

    @property
    def row_count(self) -> int:
        return len(self.rows) if self.total is None else self.total

    @property
    def hidden_rows(self) -> int:
        return self.row_count - len(self.shown_rows)


@dataclass(frozen=True)
class Alert:
    level: str  # a Bootstrap alert colour
    text: str


@dataclass
class Report:
    slug: str
    title: str
    tables: list[Table]
    alerts: list[Alert] = field(default_factory=list)
    charts: list[BarChart] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


@dataclass(frozen=True)
class Period:
    clinic: Clinic
    start: date
    end: date
    therapist: User | None
    # A page needs only the rows it shows; an export asks for all of them (None).
    row_limit: int | None = ROWS_SHOWN

    def first_rows(self, listing) -> tuple[list, int | None]:
        """The rows of a listing this request needs, and how many there are in all."""
        return selectors.first_rows(listing, self.row_limit)

    def as_kwargs(self) -> dict:
        return {
            "clinic": self.clinic,
            "start": self.start,
            "end": self.end,
            "therapist": self.therapist,
        }


def when_text(value: date) -> str:
    """A date, or a time in the clinic's time zone, as the page and the CSV export write it."""
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return value.isoformat()


def report_cell(value):
    """A table cell as shown on the page; the CSV export writes the same value."""
    if value is None:
        return "—"
    if isinstance(value, Link):
        return format_html('<a href="{}">{}</a>', value.url, value.text)
    if isinstance(value, date):
        return when_text(value)
    return value


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def rate_cells(events: int, trials: int) -> list:
    """Rate per 100 and its 95% Wilson interval, rounded as shown."""
    proportion = Proportion(events, trials)
    interval = proportion.interval_per_100 or (None, None)
    return [one_decimal(proportion.per_100), *(one_decimal(v) for v in interval)]


def local_date(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def patient_link(patient) -> Link:
    return Link(patient.full_name, _patient_url().format(pk=patient.pk))


@cache
def _patient_url() -> str:
    """The patient page's URL with a {pk} slot: one reverse() for a list of thousands."""
    return reverse("patients:detail", args=[0]).replace("/0/", "/{pk}/")


def staff_name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


# Screening


def screening_report(period: Period) -> Report:
    p = period.as_kwargs()
    outcomes = selectors.screening_outcome_counts(**p)
    total = sum(outcomes.values())
    outcome_table = Table(
        "outcomes",
        "Screenings by outcome",
        ["Outcome", "Screenings", "Share (%)"],
        [
            [label, outcomes[value], percent(outcomes[value], total)]
            for value, label in ScreeningOutcome.choices
        ]
        if total
        else [],
    )
    categories = dict(QuestionCategory.choices)
    findings = Table(
        "findings",
        "Red flags and contraindications found",
        ["Class", "Finding", "Screenings", "Share of screenings (%)"],
        [
            [categories[row["category"]], row["question__text"], row["found"]]
            + [percent(row["found"], total)]
            for row in selectors.screening_findings(**p)
        ],
        empty="No red flag or contraindication found in this period.",
    )
    referral_rows, referral_total = period.first_rows(selectors.screening_referrals(**p))
    referrals = Table(
        "referrals",
        "Referrals to a physician (follow up each one)",
        ["Date", "Patient", "MRN", "Red flags", "Therapist"],
        [
            [
                local_date(s.taken_at),
                patient_link(s.patient),
                s.patient.mrn,
                "; ".join(answer.question.text for answer in s.red_flags),
                str(s.therapist),
            ]
            for s in referral_rows
        ],
        empty="No referrals in this period.",
        total=referral_total,
    )
    expired_patients, expired_total = period.first_rows(
        selectors.expired_screening_patients(
            clinic=period.clinic, therapist=period.therapist, now=timezone.now()
        )
    )
    expired = Table(
        "expired",
        "Active patients whose screening has expired (today)",
        ["Patient", "MRN", "Screened on", "Expired on"],
        [
            [
                patient_link(patient),
                patient.mrn,
                local_date(patient.latest_taken_at),
                local_date(patient.latest_valid_until),
            ]
            for patient in expired_patients
        ],
        empty="No active patient has an expired screening.",
        total=expired_total,
    )
    precaution_rows, precaution_total = period.first_rows(selectors.precaution_sessions(**p))
    precautions = Table(
        "precautions",
        "Sessions under 'cleared with precautions'",
        ["Session", "Patient", "Therapist", "Justification"],
        [
            [
                Link(when_text(s.started_at), s.get_absolute_url()),
                patient_link(s.patient),
                str(s.therapist),
                s.screening.justification,
            ]
            for s in precaution_rows
        ],
        empty="No session under precautions in this period.",
        total=precaution_total,
    )
    invalid, invalid_total = period.first_rows(selectors.sessions_without_valid_screening(**p))
    integrity = Table(
        "integrity",
        "Sessions without a valid screening at the time",
        ["Session", "Patient", "Therapist", "Screening taken", "Screening valid until", "Problem"],
        [
            [
                Link(when_text(s.started_at), s.get_absolute_url()),
                patient_link(s.patient),
                str(s.therapist),
                timezone.localtime(s.screening.taken_at),
                timezone.localtime(s.screening.valid_until),
                screening_problem(s),
            ]
            for s in invalid
        ],
        empty="None: every session had a valid screening of its patient.",
        total=invalid_total,
    )
    alert = Alert(
        "danger" if integrity.row_count else "success",
        f"Sessions without a valid screening at the time: {integrity.row_count}"
        + (" (must be 0: see the list below)" if integrity.row_count else ""),
    )
    return Report(
        "screening",
        "Screening",
        [outcome_table, findings, referrals, expired, precautions, integrity],
        alerts=[alert],
    )


def screening_problem(session) -> str:
    screening = session.screening
    if screening.patient_id != session.patient_id:
        return "screening of another patient"
    if not screening.allows_needling:
        return f"screening outcome: {screening.get_outcome_display().lower()}"
    if screening.taken_at > session.started_at:
        return "screening taken after the session"
    return "screening expired before the session"


# Safety


def safety_report(period: Period) -> Report:
    p = period.as_kwargs()
    totals = selectors.safety_totals(**p)
    sessions = totals["sessions"]
    summary = Table(
        "summary",
        "Confirmed adverse events per 100 sessions",
        [
            "Events",
            "Count",
            "Sessions with one",
            "Sessions",
            "Per 100 sessions",
            "95% CI from",
            "95% CI to",
            "Published (approx.)",
        ],
        [
            [label, events, with_event, sessions]
            + rate_cells(with_event, sessions)
            + [published_text(key)]
            for label, events, with_event, key in (
                ("Any", totals["events"], totals["sessions_with_event"], ANY_EVENT),
                ("Major", totals["major_events"], totals["sessions_with_major"], MAJOR_EVENT),
            )
        ]
        if sessions
        else [],
        note="95% CI: Wilson score interval. Rates count sessions with at least one event.",
    )
    by_type_rows = {row["event_type"]: row for row in selectors.adverse_events_by_type(**p)}
    published_types = [r.key for r in PUBLISHED_RATES if r.key in AdverseEventType.values]
    shown_types = list(by_type_rows) + [t for t in published_types if t not in by_type_rows]
    type_labels = dict(AdverseEventType.choices)
    empty_type = {"events": 0, "sessions": 0, "mild": 0, "moderate": 0, "major": 0}
    by_type = Table(
        "by_type",
        "Confirmed adverse events by type and severity",
        [
            "Type",
            "Mild",
            "Moderate",
            "Major",
            "Events",
            "Sessions with one",
            "Per 100 sessions",
            "95% CI from",
            "95% CI to",
            "Published (approx.)",
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
    by_therapist = Table(
        "by_therapist",
        "By therapist",
        [
            "Therapist",
            "Sessions",
            "Events",
            "Sessions with one",
            "Per 100 sessions",
            "95% CI from",
            "95% CI to",
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
            for row in selectors.safety_by_therapist(**p)
        ],
    )
    by_month = Table(
        "by_month",
        "By month",
        ["Month", "Sessions", "Sessions with an event", "Per 100 sessions"],
        [
            [
                f"{local_date(row['month']):%Y-%m}",
                row["sessions"],
                row["sessions_with_event"],
                percent(row["sessions_with_event"], row["sessions"]),
            ]
            for row in selectors.safety_by_month(**p)
        ],
    )
    sources = Table(
        "published",
        "Published rates (approximate; check against the papers)",
        ["Events", "Published (approx.)", "Source"],
        [
            [type_labels.get(rate.key) or rate.key.capitalize(), rate.label, rate.citation]
            for rate in PUBLISHED_RATES
        ],
    )
    charts = []
    if by_month.rows:
        charts.append(
            bar_chart(
                title="Sessions with a confirmed adverse event, per 100 sessions, by month",
                description="Monthly rate; the 'By month' table has the figures.",
                data=[
                    (row[0], row[3] or 0, f"{row[0]}: {row[3]} per 100") for row in by_month.rows
                ],
            )
        )
    return Report(
        "safety",
        "Safety",
        [summary, by_type, by_therapist, by_month, sources],
        charts=charts,
    )


def published_text(key: str) -> str:
    return "; ".join(f"{rate.label}, {rate.short_source}" for rate in published_for(key))


# Follow-up compliance


COMPLIANCE_COLUMNS = [
    "Therapist",
    "Checks",
    "On time",
    "Early",
    "Late",
    "Missed",
    "Still scheduled",
    "Closed early (resolved)",
    "On time (%)",
    "Early (%)",
    "Late (%)",
    "Missed (%)",
]


def compliance_row(name: str, row: dict) -> list:
    due = row["on_time"] + row["early"] + row["late"] + row["missed"]
    counts = [row[k] for k in ("checks", "on_time", "early", "late", "missed", "pending", "closed")]
    shares = [percent(row[k], due) for k in ("on_time", "early", "late", "missed")]
    return [name, *counts, *shares]


def followup_report(period: Period) -> Report:
    p = period.as_kwargs()
    rows = [
        compliance_row(
            staff_name(row["session__therapist__first_name"], row["therapist_last_name"]), row
        )
        for row in selectors.followup_compliance_by_therapist(**p)
    ]
    totals = selectors.followup_compliance_totals(**p)
    if rows and not period.therapist:
        rows.append(compliance_row("All therapists", totals))
    compliance = Table(
        "compliance",
        "Soreness follow-up checks of the period's sessions",
        COMPLIANCE_COLUMNS,
        rows,
        note="Shares are of checks done or missed; checks still scheduled or closed because "
        "soreness had resolved are counted but not in the shares.",
    )
    escalation_rows, escalation_total = period.first_rows(
        selectors.open_escalations(clinic=period.clinic, therapist=period.therapist)
    )
    escalations = Table(
        "escalations",
        "Open escalations: draft adverse events to confirm or dismiss (today)",
        ["Onset", "Patient", "Therapist", "Follow-up", "Description"],
        [
            [
                Link(when_text(e.onset_at), e.get_absolute_url()),
                patient_link(e.session.patient),
                str(e.session.therapist),
                f"{e.escalated_from.hours_after} h check" if e.escalated_from else None,
                e.description,
            ]
            for e in escalation_rows
        ],
        empty="No escalation is waiting for a decision.",
        total=escalation_total,
    )
    return Report("followup", "Follow-up compliance", [compliance, escalations])


# Outcomes

MCID_TEXT = f"{MCID_POINTS}-point or {MCID_PERCENT}% reduction"


def outcomes_report(period: Period) -> Report:
    p = period.as_kwargs()
    sessions = selectors.session_outcome_totals(**p)
    courses = selectors.patient_course_outcomes(**p)
    summary = Table(
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
    regions = selectors.outcomes_by_region(**p)
    region_labels = dict(BodyRegion.choices)
    by_region = Table(
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
    distribution = Table(
        "distribution",
        "Change in pain per session",
        ["Change (after - before)", "Sessions"],
        [[row["change"], row["sessions"]] for row in selectors.pain_change_distribution(**p)],
    )
    charts = []
    if distribution.rows:
        charts.append(
            bar_chart(
                title="Change in pain per session (NPRS points, after - before)",
                description="Sessions by change in pain; negative is less pain. "
                "The 'Change in pain per session' table has the figures.",
                data=change_histogram(distribution.rows),
            )
        )
    return Report("outcomes", "Outcomes", [summary, by_region, distribution], charts=charts)


def change_histogram(rows: list[list]) -> list[tuple[str, int, str]]:
    """Every change from the smallest to the largest seen, so gaps show as empty bars."""
    counts = dict(rows)
    bars = []
    for change in range(min(counts), max(counts) + 1):
        label = f"{change:+d}" if change else "0"
        bars.append((label, counts.get(change, 0), f"{label}: {counts.get(change, 0)} sessions"))
    return bars


REPORTS = {
    "screening": screening_report,
    "safety": safety_report,
    "followup": followup_report,
    "outcomes": outcomes_report,
}
