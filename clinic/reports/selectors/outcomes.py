"""The outcomes report's figures: the immediate effect of each session (pain before and after
needling), overall and by muscle region."""

from django.db import connection, models
from django.db.models import Avg, Count, F

from patients.models import BodyRegion
from sessions.models import Muscle, NeedlingSession, TriggerPointSite

from .base import ReportFilter, sessions_in_period

PAIN_CHANGE = F("pain_after") - F("pain_before")


def _scored_sessions(report_filter: ReportFilter) -> models.QuerySet[NeedlingSession]:
    """Sessions with pain recorded before and after treatment."""
    return sessions_in_period(report_filter).filter(pain_after__isnull=False)


def session_outcome_totals(report_filter: ReportFilter) -> dict:
    """Sessions with pain before and after: their means and the mean immediate effect."""
    return _scored_sessions(report_filter).aggregate(
        sessions=Count("pk"),
        mean_before=Avg("pain_before", output_field=models.FloatField()),
        mean_after=Avg("pain_after", output_field=models.FloatField()),
        mean_change=Avg(PAIN_CHANGE, output_field=models.FloatField()),
    )


def outcomes_by_region(report_filter: ReportFilter) -> dict[str, dict]:
    """Per body region: sessions that needled a muscle there and their mean immediate effect
    (pain after - before). A session needling two regions counts in both.

    One grouped query over the distinct (session, region) pairs of the period's scored sessions.
    """
    scored = (
        _scored_sessions(report_filter)
        .annotate(change=PAIN_CHANGE)
        .values("pk", "change")
        .order_by()
    )
    scored_sql, params = scored.query.sql_with_params()
    quote = connection.ops.quote_name
    sql = f"""
        SELECT pairs.region, COUNT(*), AVG(pairs.change * 1.0)
        FROM (
            SELECT DISTINCT scored.{quote("pk")}, muscle.region, scored.change
            FROM ({scored_sql}) scored
            JOIN {quote(TriggerPointSite._meta.db_table)} site
                ON site.session_id = scored.{quote("pk")}
            JOIN {quote(Muscle._meta.db_table)} muscle ON muscle.id = site.muscle_id
        ) pairs
        GROUP BY pairs.region
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = {region: (sessions, mean) for region, sessions, mean in cursor}
    figures = {}
    for region in BodyRegion.values:
        sessions, mean = rows.get(region, (0, None))
        figures[region] = {
            "sessions": sessions,
            "mean_change": None if mean is None else float(mean),
        }
    return figures


def pain_change_distribution(report_filter: ReportFilter) -> models.QuerySet:
    """How many scored sessions changed pain by each amount (after - before)."""
    return (
        _scored_sessions(report_filter)
        .annotate(change=PAIN_CHANGE)
        .values("change")
        .annotate(sessions=Count("pk"))
        .order_by("change")
    )
