"""The clinic's one date and time format, for pages, reports and CSV exports.

Pages print the house format through Django's localisation: `{{ day|date }}` and
`{{ moment|date:"DATETIME_FORMAT" }}` read `clinic/formats/en/formats.py` (the project's
FORMAT_MODULE_PATH), so "17 Nov 2026" and "17 Nov 2026 14:05" are written in one place. Python
code uses `shown()`. CSV exports are read by machines: they write ISO 8601 (`machine()`) and say
so in the column's header (`ISO_COLUMN`).
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format

from .en.formats import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    DATETIME_SECONDS_FORMAT,
    DATETIME_ZONE_FORMAT,
    YEAR_MONTH_FORMAT,
)

__all__ = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "DATETIME_SECONDS_FORMAT",
    "DATETIME_ZONE_FORMAT",
    "ISO_COLUMN",
    "YEAR_MONTH_FORMAT",
    "machine",
    "shown",
]

# A CSV column of dates or times is headed "<title> (ISO 8601)".
ISO_COLUMN = "{column} (ISO 8601)"


def shown(value: date, format_name: str | None = None) -> str:
    """A date in the house format, or a time in the active (the clinic's) time zone."""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), format_name or "DATETIME_FORMAT")
    return date_format(value, format_name or "DATE_FORMAT")


def machine(value: date) -> str:
    """ISO 8601: a date as 2026-11-17, a time as 2026-11-17T14:05:00+01:00 (the clinic's
    offset, to the second)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()
