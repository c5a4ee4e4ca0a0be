"""The outcomes report's figures: the immediate effect of each session (pain before and after
needling) and the MCID between pre-treatment scores across visits."""

from django.db import connection, models
from django.db.models import Avg, Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.lookups import Exact

from patients.models import BodyRegion, Patient
from sessions.models import Muscle, NeedlingSession, TriggerPointSite
from sessions.rules.mcid import mcid_applicable_sql, mcid_reached_sql

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


def patient_courses(report_filter: ReportFilter) -> models.QuerySet[Patient]:
    """The period's patients, each with pain before needling at their first visit
    (`course_baseline`) and at their latest (`course_latest`, None with a single visit), and
    `reached_mcid` by the clinic's rule: the MCID is measured across visits."""
    # The outer query already keeps the clinic's patients: the per-patient subqueries need only
    # the period, so they run on the (patient, started_at) index without joining patients.
    low, high = report_filter.bounds
    visits = NeedlingSession.objects.filter(
        patient=OuterRef("pk"), started_at__gte=low, started_at__lt=high
    )
    if report_filter.therapist:
        visits = visits.filter(therapist=report_filter.therapist)
    first = visits.order_by("started_at", "pk")
    latest = visits.order_by("-started_at", "-pk")
    one_visit = Exact(Subquery(first.values("pk")[:1]), Subquery(latest.values("pk")[:1]))
    return (
        Patient.objects.filter(pk__in=sessions_in_period(report_filter).values("patient_id"))
        .annotate(
            course_baseline=Subquery(first.values("pain_before")[:1]),
            course_latest=Case(
                When(~Q(one_visit), then=Subquery(latest.values("pain_before")[:1])),
                default=None,
            ),
        )
        .annotate(
            reached_mcid=models.ExpressionWrapper(
                mcid_reached_sql(
                    F("course_baseline"),
                    F("course_latest"),
                    rule=report_filter.clinic.mcid_rule,
                ),
                output_field=models.BooleanField(),
            ),
        )
    )


def patient_course_outcomes(report_filter: ReportFilter) -> dict:
    """Patients treated, those with a later visit and a baseline above 0 (the MCID applies),
    their mean change in pain before needling, and how many reached the MCID."""
    later = Q(course_latest__isnull=False)
    return patient_courses(report_filter).aggregate(
        patients=Count("pk"),
        with_later_visit=Count("pk", filter=later),
        applicable=Count("pk", filter=later & mcid_applicable_sql(F("course_baseline"))),
        mean_change=Avg(
            F("course_latest") - F("course_baseline"),
            filter=later,
            output_field=models.FloatField(),
        ),
        reached_mcid=Count(
            "pk",
            filter=mcid_reached_sql(
                F("course_baseline"), F("course_latest"), rule=report_filter.clinic.mcid_rule
            ),
        ),
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
