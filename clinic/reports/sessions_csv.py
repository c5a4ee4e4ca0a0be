"""The clinic's needling sessions of a period as one CSV row each, with the US billing code
(sessions.rules.billing) from the session's distinct muscles. Streamed from one query read in
chunks, so a large clinic's year downloads without holding it in memory."""

import csv
from collections.abc import Iterable, Iterator
from datetime import tzinfo

from django.db.models import Count, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from sessions.models import NeedlingSession
from sessions.rules.billing import cpt_code

from .export import csv_cell, csv_header
from .selectors.base import ReportFilter, sessions_in_period
from .tables.base import DateColumn

# The audit trail's name for a download of this export (a list read of the clinic's records).
EXPORT_PAGE = "needling sessions CSV export"
ROWS_PER_FETCH = 2000
# Dates and times are ISO 8601, times with the clinic's offset, as in every CSV export.
COLUMNS = [
    DateColumn("Started"),
    "Patient MRN",
    "Therapist",
    "Episode of care",
    DateColumn("Episode opened"),
    "Status",
    DateColumn("Signed"),
    "Sites",
    "Distinct muscles",
    "CPT code",
]


def export_sessions(report_filter: ReportFilter) -> QuerySet[NeedlingSession]:
    """The period's sessions, oldest first, each with its counts: one query however many."""
    return (
        sessions_in_period(report_filter)
        .select_related("patient", "therapist", "episode")
        .annotate(
            site_count=Count("sites", distinct=True),
            distinct_muscles=Count("sites__muscle", distinct=True),
        )
        .order_by("started_at", "pk")
    )


def session_row(session: NeedlingSession) -> list:
    episode = session.episode
    return [
        session.started_at,
        session.patient.mrn,
        str(session.therapist),
        f"{episode.get_body_region_display()}: {episode.complaint}",
        episode.opened_on,
        session.get_status_display(),
        session.signed_at,
        session.site_count,
        session.distinct_muscles,
        cpt_code(session.distinct_muscles),
    ]


class _Line:
    """A file-like object whose write() hands the line back, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list], *, zone: tzinfo) -> Iterator[str]:
    """The file's lines, times in `zone`: the body streams after the request's middleware has
    put its time zone back, so each line is written in the clinic's zone here."""
    writer = csv.writer(_Line())
    yield writer.writerow([csv_header(column) for column in COLUMNS])
    for row in rows:
        with timezone.override(zone):
            line = writer.writerow([csv_cell(cell) for cell in row])
        yield line


def sessions_csv_response(report_filter: ReportFilter) -> StreamingHttpResponse:
    sessions = export_sessions(report_filter).iterator(chunk_size=ROWS_PER_FETCH)
    response = StreamingHttpResponse(
        csv_lines((session_row(s) for s in sessions), zone=report_filter.clinic.zone),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"needling-sessions-{report_filter.start}-{report_filter.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
