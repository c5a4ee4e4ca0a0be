from datetime import datetime, time, timedelta
from typing import NamedTuple

from django.db import connection, models
from django.db.models import Func
from django.utils import timezone

from ..rules.followup import CHECK_WINDOW, MISSED_AFTER, WORKLIST_LOOKBACK


def end_of_local_day(moment: datetime) -> datetime:
    day = timezone.localtime(moment).date()
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class SorenessCheckQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def scheduled(self):
        from ..models import CheckStatus

        return self.filter(status=CheckStatus.SCHEDULED)

    def open(self):
        """Checks still waiting for a result (scheduled, or marked missed but recordable)."""
        from ..models import CheckStatus

        return self.filter(status__in=[CheckStatus.SCHEDULED, CheckStatus.MISSED])

    def due_by_end_of_day(self, now: datetime):
        """Waiting for a result and due today or in the last week, missed ones included.

        Older missed checks belong to the follow-up compliance report, not to today's work."""
        return self.open().filter(
            due_at__lt=end_of_local_day(now), due_at__gte=now - WORKLIST_LOOKBACK
        )

    def overdue(self, now: datetime):
        return self.open().filter(due_at__lt=now - CHECK_WINDOW)

    def past_missing_point(self, now: datetime):
        return self.scheduled().filter(due_at__lte=now - MISSED_AFTER)

    def for_worklist(self):
        from ..models import TriggerPointSite

        return (
            self.select_related("session__patient", "session__therapist")
            .prefetch_related(
                models.Prefetch(
                    "session__sites",
                    queryset=TriggerPointSite.objects.select_related("muscle").order_by("pk"),
                )
            )
            .order_by("due_at", "pk")
        )

    def for_worklist_rows(self):
        """`for_worklist`, with each check's patient links and their deliveries (what a
        worklist row shows of them) in two more queries."""
        return self.for_worklist().prefetch_related("links__deliveries")

    def worklist_keys(self):
        """What a worklist row's cached fragment is keyed on, one tuple per check in the
        worklist's order: (pk, due_at, status, patient id, the patient's record version).
        Read before the rows, so never newer than them."""
        return self.order_by("due_at", "pk").values_list(
            "pk", "due_at", "status", "session__patient_id", "session__patient__record_version"
        )


class AdverseEventQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(session__clinic=clinic)

    def to_decide(self):
        """Drafts (escalations to confirm or dismiss), newest onset first, with what the
        worklist's lists show of them."""
        return self.drafts().select_related("session__patient", "escalated_from")

    def drafts(self):
        from ..models import EventStatus

        return self.filter(status=EventStatus.DRAFT)

    def confirmed(self):
        from ..models import EventStatus

        return self.filter(status=EventStatus.CONFIRMED)

    def major(self):
        from ..models import Severity

        return self.confirmed().filter(severity=Severity.MAJOR)

    def urgent_drafts(self):
        """Open major drafts (warning signs of a pneumothorax at a follow-up), newest first,
        with what the alert list shows."""
        from ..models import Severity

        return (
            self.drafts()
            .filter(severity=Severity.MAJOR)
            .select_related("session__patient", "escalated_from")
            .order_by("-created_at", "-pk")
        )


# A row count another query selects: `COUNT(*)`, not of a column, so that an index holding
# the filtered columns answers it alone.
ROWS = Func(template="COUNT(*)", output_field=models.IntegerField())


def count_sql(queryset) -> tuple[str, tuple]:
    """The SQL counting the rows of `queryset`, with its parameters."""
    return queryset.order_by().values_list(ROWS).query.sql_with_params()


class WorklistCounts(NamedTuple):
    followups_due: int
    escalations: int


def worklist_counts(clinic, now: datetime) -> WorklistCounts:
    """What waits on the clinic's worklist (the navigation bar's badges), in one query:
    follow-ups due by the end of the day and draft adverse events to confirm or dismiss.

    Every page shows them, so the two counts are selected side by side as they are compiled,
    with no outer query to resolve them into."""
    from ..models import AdverseEvent, SorenessCheck

    due_sql, due_params = count_sql(SorenessCheck.objects.for_clinic(clinic).due_by_end_of_day(now))
    drafts_sql, drafts_params = count_sql(AdverseEvent.objects.for_clinic(clinic).drafts())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({due_sql}), ({drafts_sql})", (*due_params, *drafts_params))
        return WorklistCounts(*cursor.fetchone())
