"""What the reports read: every figure is a database aggregate, one query per table.

Each selector takes `clinic=`, `start=`, `end=` (dates, inclusive, in the clinic's time zone)
and `therapist=` (None for everyone). Sessions are picked by `started_at`, screenings by
`taken_at`; adverse events and soreness checks by the start of their session, so a rate's
numerator and denominator cover the same sessions.
"""

from datetime import date, datetime, time, timedelta

from django.db import connection, models
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import TruncMinute, TruncMonth
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils import timezone

from clinic.accounts.models import Clinic, Role, User
from patients.models import (
    BodyRegion,
    Patient,
    QuestionCategory,
    Screening,
    ScreeningAnswer,
    ScreeningOutcome,
)
from sessions.models import (
    AdverseEvent,
    CheckStatus,
    EventStatus,
    GateOutcome,
    Muscle,
    NeedlingSession,
    Severity,
    SorenessCheck,
    Timeliness,
    TriggerPointSite,
)

from .stats import MCID_PERCENT, MCID_POINTS

NEEDLING_ALLOWED = [ScreeningOutcome.CLEARED, ScreeningOutcome.CLEARED_WITH_PRECAUTIONS]


def first_rows(queryset: models.QuerySet, limit: int | None) -> tuple[list, int | None]:
    """The first `limit` rows of a listing and how many rows it has in all, in one query
    (`COUNT(*) OVER ()`); every row and no total when `limit` is None (an export).

    The listing must hold one row per record: not `distinct()`, not sliced, not joined to a
    to-many relation, or the count would be of the joined rows."""
    if limit is None:
        return list(queryset), None
    rows = list(queryset.annotate(rows_in_all=Window(Count("*")))[:limit])
    return rows, rows[0].rows_in_all if rows else 0


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the current time zone."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def report_therapists(*, clinic: Clinic) -> models.QuerySet[User]:
    """The therapists a report can be filtered by, leavers included (their past work counts)."""
    return User.objects.for_clinic(clinic).filter(role=Role.THERAPIST)


def sessions_in_period(
    *, clinic: Clinic, start: date, end: date, therapist: User | None
) -> models.QuerySet[NeedlingSession]:
    low, high = period_bounds(start, end)
    sessions = NeedlingSession.objects.for_clinic(clinic).filter(
        started_at__gte=low, started_at__lt=high
    )
    return sessions.filter(therapist=therapist) if therapist else sessions


def screenings_in_period(
    *, clinic: Clinic, start: date, end: date, therapist: User | None
) -> models.QuerySet[Screening]:
    low, high = period_bounds(start, end)
    screenings = Screening.objects.for_clinic(clinic).filter(taken_at__gte=low, taken_at__lt=high)
    return screenings.filter(therapist=therapist) if therapist else screenings


# Screening report


def screening_outcome_counts(**period) -> dict[str, int]:
    """Screenings per outcome, every outcome present (0 when none)."""
    counts = screenings_in_period(**period).aggregate(
        **{outcome: Count("pk", filter=Q(outcome=outcome)) for outcome in ScreeningOutcome.values}
    )
    return counts


def screening_findings(**period) -> models.QuerySet:
    """How often each red flag and contraindication was answered "yes", most frequent first."""
    return (
        ScreeningAnswer.objects.filter(
            screening__in=screenings_in_period(**period).values("pk"), present=True
        )
        .values("question_id", "question__text", "category")
        .annotate(found=Count("pk"))
        .order_by(
            models.Case(
                *(
                    models.When(category=category, then=position)
                    for position, category in enumerate(QuestionCategory.values)
                )
            ),
            "-found",
            "question__text",
        )
    )


def screening_referrals(**period) -> models.QuerySet[Screening]:
    """Screenings that referred the patient, each with `red_flags` (the answers found)."""
    return (
        screenings_in_period(**period)
        .filter(outcome=ScreeningOutcome.REFER)
        .select_related("patient", "therapist")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=ScreeningAnswer.objects.filter(
                    present=True, category=QuestionCategory.RED_FLAG
                )
                .select_related("question")
                .order_by("question__order", "pk"),
                to_attr="red_flags",
            )
        )
        .order_by("taken_at", "pk")
    )


def expired_screening_patients(
    *, clinic: Clinic, therapist: User | None, now: datetime
) -> models.QuerySet[Patient]:
    """Active patients whose newest screening has expired (today, whatever the period)."""
    latest = Screening.objects.filter(patient=OuterRef("pk")).order_by("-taken_at", "-pk")
    patients = (
        Patient.objects.for_clinic(clinic)
        .active()
        .annotate(
            latest_taken_at=Subquery(latest.values("taken_at")[:1]),
            latest_valid_until=Subquery(latest.values("valid_until")[:1]),
            latest_therapist_id=Subquery(latest.values("therapist_id")[:1]),
        )
        .filter(latest_valid_until__lte=now)
    )
    if therapist:
        patients = patients.filter(latest_therapist_id=therapist.pk)
    return patients.order_by("latest_valid_until", "last_name", "first_name", "pk")


def precaution_sessions(**period) -> models.QuerySet[NeedlingSession]:
    """Sessions allowed by a screening that cleared with precautions, with its justification."""
    return (
        sessions_in_period(**period)
        .filter(gate_outcome=GateOutcome.PRECAUTIONS)
        .select_related("patient", "therapist", "screening")
        .order_by("started_at", "pk")
    )


def sessions_without_valid_screening(**period) -> models.QuerySet[NeedlingSession]:
    """Sessions whose screening was not valid when they started, did not clear needling, or is
    another patient's.

    The safety gate refuses these, so any row here means a record bypassed the gate.
    """
    return (
        sessions_in_period(**period)
        .filter(
            # Start times are entered to the minute: the gate lets a screening taken during
            # the start minute cover the session, and so does this check.
            Q(screening__taken_at__gte=TruncMinute("started_at") + timedelta(minutes=1))
            | Q(screening__valid_until__lte=F("started_at"))
            | ~Q(screening__patient=F("patient"))
            | ~Q(screening__outcome__in=NEEDLING_ALLOWED)
        )
        .select_related("patient", "therapist", "screening")
        .order_by("started_at", "pk")
    )


# Safety report

CONFIRMED = Q(adverse_events__status=EventStatus.CONFIRMED)
CONFIRMED_MAJOR = CONFIRMED & Q(adverse_events__severity=Severity.MAJOR)


def _safety_counts() -> dict[str, models.Aggregate]:
    return {
        "sessions": Count("pk", distinct=True),
        "events": Count("adverse_events", filter=CONFIRMED),
        "sessions_with_event": Count("pk", filter=CONFIRMED, distinct=True),
        "major_events": Count("adverse_events", filter=CONFIRMED_MAJOR),
        "sessions_with_major": Count("pk", filter=CONFIRMED_MAJOR, distinct=True),
    }


def safety_totals(**period) -> dict[str, int]:
    """Sessions, confirmed events and sessions with at least one (any / major)."""
    return sessions_in_period(**period).aggregate(**_safety_counts())


def adverse_events_by_type(**period) -> models.QuerySet:
    """Confirmed events per type: by severity, and how many sessions had one."""
    return (
        AdverseEvent.objects.confirmed()
        .filter(session__in=sessions_in_period(**period).values("pk"))
        .values("event_type")
        .annotate(
            events=Count("pk"),
            sessions=Count("session", distinct=True),
            mild=Count("pk", filter=Q(severity=Severity.MILD)),
            moderate=Count("pk", filter=Q(severity=Severity.MODERATE)),
            major=Count("pk", filter=Q(severity=Severity.MAJOR)),
        )
        .order_by("-events", "event_type")
    )


def safety_by_therapist(**period) -> models.QuerySet:
    return (
        sessions_in_period(**period)
        .values("therapist_id", "therapist__first_name", "therapist__last_name")
        .annotate(**_safety_counts())
        .order_by("therapist__last_name", "therapist__first_name", "therapist_id")
    )


def safety_by_month(**period) -> models.QuerySet:
    """Sessions and sessions with a confirmed event per calendar month (months with sessions)."""
    return (
        sessions_in_period(**period)
        .annotate(month=TruncMonth("started_at"))
        .values("month")
        .annotate(**_safety_counts())
        .order_by("month")
    )


# Follow-up compliance


def _compliance_counts() -> dict[str, models.Aggregate]:
    done = Q(status=CheckStatus.DONE)
    return {
        "checks": Count("pk"),
        "on_time": Count("pk", filter=done & Q(timeliness=Timeliness.ON_TIME)),
        "early": Count("pk", filter=done & Q(timeliness=Timeliness.EARLY)),
        "late": Count("pk", filter=done & Q(timeliness=Timeliness.LATE)),
        "missed": Count("pk", filter=Q(status=CheckStatus.MISSED)),
        "pending": Count("pk", filter=Q(status=CheckStatus.SCHEDULED)),
        "closed": Count("pk", filter=Q(status=CheckStatus.CLOSED)),
    }


def _checks_in_period(**period) -> models.QuerySet[SorenessCheck]:
    return SorenessCheck.objects.filter(session__in=sessions_in_period(**period).values("pk"))


def followup_compliance_by_therapist(**period) -> models.QuerySet:
    return (
        _checks_in_period(**period)
        .values("session__therapist_id", "session__therapist__first_name")
        .annotate(therapist_last_name=F("session__therapist__last_name"), **_compliance_counts())
        .order_by("therapist_last_name", "session__therapist__first_name", "session__therapist_id")
    )


def followup_compliance_totals(**period) -> dict[str, int]:
    return _checks_in_period(**period).aggregate(**_compliance_counts())


def open_escalations(*, clinic: Clinic, therapist: User | None) -> models.QuerySet[AdverseEvent]:
    """Escalations still waiting to be confirmed or dismissed (today, whatever the period)."""
    events = AdverseEvent.objects.for_clinic(clinic).drafts()
    if therapist:
        events = events.filter(session__therapist=therapist)
    return events.select_related(
        "session__patient", "session__therapist", "escalated_from"
    ).order_by("onset_at", "pk")


# Outcomes

PAIN_CHANGE = F("pain_after") - F("pain_before")


def mcid_reached(before: str, after: str) -> Q:
    """SQL twin of stats.reaches_mcid, in integers (no float or decimal rounding)."""
    reduction = F(before) - F(after)
    return GreaterThanOrEqual(reduction, MCID_POINTS) | (
        GreaterThan(reduction, 0) & GreaterThanOrEqual(reduction * 100, F(before) * MCID_PERCENT)
    )


def _scored_sessions(**period) -> models.QuerySet[NeedlingSession]:
    """Sessions with pain recorded before and after treatment."""
    return sessions_in_period(**period).filter(pain_after__isnull=False)


def session_outcome_totals(**period) -> dict:
    return _scored_sessions(**period).aggregate(
        sessions=Count("pk"),
        mean_before=Avg("pain_before", output_field=models.FloatField()),
        mean_after=Avg("pain_after", output_field=models.FloatField()),
        mean_change=Avg(PAIN_CHANGE, output_field=models.FloatField()),
        reached_mcid=Count("pk", filter=mcid_reached("pain_before", "pain_after")),
    )


def patient_course_outcomes(**period) -> dict:
    """Per patient, the first scored session's pain before against the last one's pain after;
    how many patients reached the MCID over their course."""
    # The outer query already keeps the clinic's patients: the per-patient subqueries need only
    # the period, so they run on the (patient, started_at) index without joining patients.
    low, high = period_bounds(period["start"], period["end"])
    scored = NeedlingSession.objects.filter(
        patient=OuterRef("pk"), started_at__gte=low, started_at__lt=high, pain_after__isnull=False
    )
    if period["therapist"]:
        scored = scored.filter(therapist=period["therapist"])
    first = scored.order_by("started_at", "pk")
    last = scored.order_by("-started_at", "-pk")
    return (
        Patient.objects.filter(pk__in=_scored_sessions(**period).values("patient_id"))
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


def outcomes_by_region(**period) -> dict[str, dict]:
    """Per body region: sessions that needled a muscle there, their mean pain change and how
    many reached the MCID. A session needling two regions counts in both.

    One grouped query over the distinct (session, region) pairs of the period's scored sessions.
    """
    scored = (
        _scored_sessions(**period)
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


def pain_change_distribution(**period) -> models.QuerySet:
    """How many scored sessions changed pain by each amount (after - before)."""
    return (
        _scored_sessions(**period)
        .annotate(change=PAIN_CHANGE)
        .values("change")
        .annotate(sessions=Count("pk"))
        .order_by("change")
    )
