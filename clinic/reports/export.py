"""CSV downloads of report tables; cells that a spreadsheet would run as a formula are defused.

Dates and times are written in ISO 8601 for the machines that read the file (times with the
clinic's UTC offset), and each column of them says so in its header."""

import csv
from collections.abc import Iterable
from datetime import date

from django.http import HttpResponse

from clinic.formats import ISO_COLUMN, machine

from .tables.base import DateColumn, Link, Month

# A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str | int | float:
    """A cell's CSV value; text that could start a formula is prefixed with a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Link):
        return csv_cell(value.text)
    if isinstance(value, Month):
        return value.isoformat()[:7]
    if isinstance(value, date):
        return machine(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_header(column: str) -> str:
    return ISO_COLUMN.format(column=column) if isinstance(column, DateColumn) else column


def csv_response(*, filename: str, columns: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([csv_cell(csv_header(c)) for c in columns])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return response
