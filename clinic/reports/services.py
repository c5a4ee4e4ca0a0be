from auditlog.models import LogEntry
from django.db import transaction

from clinic.accounts.models import User

from .selectors.base import ReportFilter

EXPORT_NOTE = "report exported (CSV)"


@transaction.atomic
def report_export_log(
    *, report_filter: ReportFilter, report: str, table: str, actor: User
) -> LogEntry:
    """Log a report export as an access to the clinic's records, like a patient record export."""
    return LogEntry.objects.log_create(
        report_filter.clinic,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        additional_data={
            "export": EXPORT_NOTE,
            "report": report,
            "table": table,
            "start": report_filter.start.isoformat(),
            "end": report_filter.end.isoformat(),
            "therapist": report_filter.therapist.pk if report_filter.therapist else None,
        },
    )
