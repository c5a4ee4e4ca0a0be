"""Queries for strengthening plans: scoping, exercise suggestions, adherence by week."""

from collections.abc import Iterable

from django.db import models
from django.db.models import Avg, Count, F, Max, Q, Sum
from django.db.models.functions import TruncWeek


class ExerciseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def suggested_for(self, sessions, *, exclude: Iterable[int] = ()):
        """Exercises loading the muscles needled in `sessions`, most overlap first, in one query.

        `overlap` counts the exercise's target muscles that were needled in any of the sessions.
        """
        from ..models import TriggerPointSite

        needled = TriggerPointSite.objects.filter(session__in=sessions).values("muscle")
        return (
            self.exclude(pk__in=list(exclude))
            .annotate(overlap=Count("muscles", filter=Q(muscles__in=needled), distinct=True))
            .filter(overlap__gt=0)
            .order_by("-overlap", "name")
        )


class StrengtheningPlanQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(patient__clinic=clinic)

    def active(self):
        from ..models import PlanStatus

        return self.filter(status=PlanStatus.ACTIVE)

    def with_items(self):
        """Items with their exercise (and its muscles) in two extra queries, whatever the size."""
        from ..models import PlanItem

        return self.prefetch_related(
            models.Prefetch(
                "items",
                queryset=PlanItem.objects.select_related("exercise").order_by("pk"),
            )
        )


class PlanItemQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(plan__patient__clinic=clinic)

    def with_recent_logs(self):
        """Each item's logs since its dosage was last set, newest first, as `recent_logs`.

        Only as many as the longest progression rule reads, so the page does not grow with
        the plan's history.
        """
        from ..models import ExerciseLog
        from ..models.dosage import MAX_EASY_LOGS

        logs = (
            ExerciseLog.objects.filter(entry__created_at__gt=F("item__dosage_set_at"))
            .select_related("entry")
            .order_by("-entry__date", "-entry__created_at")
        )
        return self.prefetch_related(
            models.Prefetch("logs", queryset=logs[:MAX_EASY_LOGS], to_attr="recent_logs")
        )


class AdherenceEntryQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(plan__patient__clinic=clinic)

    def newest_first(self):
        return self.order_by("-date", "-pk")

    def with_logs(self):
        from ..models import ExerciseLog

        return self.prefetch_related(
            models.Prefetch(
                "logs",
                queryset=ExerciseLog.objects.select_related("item__exercise").order_by("item"),
            )
        )

    def by_week(self):
        """One row per week: entries and the sessions completed that week (the highest report)."""
        return (
            self.annotate(week=TruncWeek("date"))
            .values("week")
            .annotate(entries=Count("pk"), sessions_completed=Max("sessions_completed"))
            .order_by("-week")
        )


class ExerciseLogQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(entry__plan__patient__clinic=clinic)

    def by_week(self):
        """One row per week of the entries: sets done, mean effort and worst pain."""
        return (
            self.annotate(week=TruncWeek("entry__date"))
            .values("week")
            .annotate(
                sets_done=Sum("sets_done"),
                mean_rpe=Avg("rpe"),
                worst_pain=Max("pain_during"),
            )
            .order_by("-week")
        )


def adherence_by_week(plan, *, target_sessions: int) -> list[dict]:
    """The plan's adherence per week, newest first, in two aggregate queries.

    `target_sessions` is the most times a week any exercise of the plan is prescribed.
    """
    from ..models import AdherenceEntry, ExerciseLog

    logs = {row["week"]: row for row in ExerciseLog.objects.filter(entry__plan=plan).by_week()}
    weeks = []
    for row in AdherenceEntry.objects.filter(plan=plan).by_week():
        done = row["sessions_completed"]
        week_logs = logs.get(row["week"], {})
        weeks.append(
            {
                "week": row["week"],
                "entries": row["entries"],
                "sessions_completed": done,
                "target_sessions": target_sessions,
                "percent": min(100, round(100 * done / target_sessions)) if target_sessions else 0,
                "sets_done": week_logs.get("sets_done"),
                "mean_rpe": week_logs.get("mean_rpe"),
                "worst_pain": week_logs.get("worst_pain"),
            }
        )
    return weeks
