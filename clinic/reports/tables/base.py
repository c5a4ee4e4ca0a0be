"""What every report is made of: tables of plain cells, alerts and charts.

A builder turns the selectors' aggregates into rows; it never counts or averages rows itself.
Cells are plain values (text, numbers, dates, None for "no value") or a Link.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from clinic.formats import shown

from ..charts import BarChart
from ..stats import Proportion

NO_DATA = "No data in this period."

# A page lists at most this many rows of a table (a whole clinic's expired screenings can run
# to thousands); the CSV export has every row.
ROWS_SHOWN = 200


@dataclass(frozen=True)
class Link:
    """A cell that links to a record; its text may be a date or time (the record's)."""

    text: str | date
    url: str

    def __str__(self) -> str:
        return str(self.text)


class DateColumn(str):
    """The title of a column of dates or times: the CSV export heads it "<title> (ISO 8601)"."""

    __slots__ = ()


class Month(date):
    """A calendar month, given by its first day: "Nov 2026" on the page, 2026-11 in CSV."""

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month, 1)


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
    # Links to the reports that carry figures this one leaves to them.
    related: list[Link] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def report_cell(value):
    """A table cell as shown on the page, dates and times in the house format; the CSV export
    writes the same values, dates and times in ISO 8601 (`clinic.reports.export`)."""
    if value is None:
        return "—"
    if isinstance(value, Link):
        return format_html('<a href="{}">{}</a>', value.url, report_cell(value.text))
    if isinstance(value, Month):
        return shown(value, "YEAR_MONTH_FORMAT")
    if isinstance(value, date):
        return shown(value)
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


def report_url(slug: str, report_filter) -> str:
    """Another report's page for the same period and therapist."""
    query = {"start": report_filter.start, "end": report_filter.end}
    if report_filter.therapist:
        query["therapist"] = report_filter.therapist.pk
    return f"{reverse(f'reports:{slug}')}?{urlencode(query)}"


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
