"""CSV downloads of report tables; cells that a spreadsheet would run as a formula are defused."""

import csv
from collections.abc import Iterable
from datetime import date

from django.http import HttpResponse

from .tables.base import when_text

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
    if isinstance(value, date):
        return when_text(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_response(*, filename: str, columns: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([csv_cell(c) for c in columns])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return response
