"""The outcomes report's figures: NPRS pain before and after treatment, and the MCID."""

from django.db import connection, models
from django.db.models import Avg, Case, Count, F, OuterRef, Subquery, Value, When

from patients.models import BodyRegion, Patient
from sessions.models import Muscle, NeedlingSession, TriggerPointSite
from sessions.rules.mcid import mcid_reached

from .base import ReportFilter, sessions_in_period

PAIN_CHANGE = F("pain_after") - F("pain_before")


def _scored_sessions(report_filter: ReportFilter) -> models.QuerySet[NeedlingSession]:
    """Sessions with pain recorded before and after treatment."""
    return sessions_in_period(report_filter).filter(pain_after__isnull=False)


def session_outcome_totals(report_filter: ReportFilter) -> dict:
    return _scored_sessions(report_filter).aggregate(
        sessions=Count("pk"),
        mean_before=Avg("pain_before", output_field=models.FloatField()),
        mean_after=Avg("pain_after", output_field=models.FloatField()),
        mean_change=Avg(PAIN_CHANGE, output_field=models.FloatField()),
        reached_mcid=Count("pk", filter=mcid_reached("pain_before", "pain_after")),
    )


def patient_course_outcomes(report_filter: ReportFilter) -> dict:
    """Per patient, the first scored session's pain before against the last one's pain after;
    how many patients reached the MCID over their course."""
    # The outer query already keeps the clinic's patients: the per-patient subqueries need only
    # the period, so they run on the (patient, started_at) index without joining patients.
    low, high = report_filter.bounds
    scored = NeedlingSession.objects.filter(
        patient=OuterRef("pk"), started_at__gte=low, started_at__lt=high, pain_after__isnull=False
    )
    if report_filter.therapist:
        scored = scored.filter(therapist=report_filter.therapist)
    first = scored.order_by("started_at", "pk")
    last = scored.order_by("-started_at", "-pk")
    return (
        Patient.objects.filter(pk__in=_scored_sessions(report_filter).values("patient_id"))
        .annotate(
            course_before=Subquery(first.values("pain_before")[:1]),
            course_after=Subquery(last.values("pain_after")[:1]),
        )
        .aggregate(
            patients=Count("pk"),
            mean_change=Avg(
                F("course_after") - F("course_before"), output_field=models.FloatField()
            ),
            reached_mcid=Count("pk", filter=mcid_reached("course_before", "course_after")),
        )
    )


def outcomes_by_region(report_filter: ReportFilter) -> dict[str, dict]:
    """Per body region: sessions that needled a muscle there, their mean pain change and how
    many reached the MCID. A session needling two regions counts in both.

    One grouped query over the distinct (session, region) pairs of the period's scored sessions.
    """
    scored = (
        _scored_sessions(report_filter)
        .annotate(
            change=PAIN_CHANGE,
            reached=Case(
                When(mcid_reached("pain_before", "pain_after"), then=Value(1)), default=Value(0)
            ),
        )
        .values("pk", "change", "reached")
        .order_by()
    )
    scored_sql, params = scored.query.sql_with_params()
    quote = connection.ops.quote_name
    sql = f"""
        SELECT pairs.region, COUNT(*), AVG(pairs.change * 1.0), SUM(pairs.reached)
        FROM (
            SELECT DISTINCT scored.{quote("pk")}, muscle.region, scored.change, scored.reached
            FROM ({scored_sql}) scored
            JOIN {quote(TriggerPointSite._meta.db_table)} site
                ON site.session_id = scored.{quote("pk")}
            JOIN {quote(Muscle._meta.db_table)} muscle ON muscle.id = site.muscle_id
        ) pairs
        GROUP BY pairs.region
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = {region: (sessions, mean, reached) for region, sessions, mean, reached in cursor}
    figures = {}
    for region in BodyRegion.values:
        sessions, mean, reached = rows.get(region, (0, None, 0))
        figures[region] = {
            "sessions": sessions,
            "mean_change": None if mean is None else float(mean),
            "reached_mcid": int(reached or 0),
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
