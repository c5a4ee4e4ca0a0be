from auditlog.models import LogEntry
from django.db import transaction

from clinic.accounts.models import User

from .tables import Period

EXPORT_NOTE = "report exported (CSV)"


@transaction.atomic
def report_export_log(*, period: Period, report: str, table: str, actor: User) -> LogEntry:
    """Log a report export as an access to the clinic's records, like a patient record export."""
    return LogEntry.objects.log_create(
        period.clinic,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        additional_data={
            "export": EXPORT_NOTE,
            "report": report,
            "table": table,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "therapist": period.therapist.pk if period.therapist else None,
        },
    )
