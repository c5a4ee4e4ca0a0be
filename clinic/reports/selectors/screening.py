"""The screening report's figures: outcomes, findings, referrals, expiries, precautions,
patients without a current consent, and the sessions that bypassed the safety gate."""

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import TruncMinute

from clinic.accounts.models import Clinic, User
from patients.consent.models import ConsentForm, SignedConsent
from patients.models import (
    Patient,
    QuestionCategory,
    Screening,
    ScreeningAnswer,
    ScreeningOutcome,
)
from sessions.models import GateOutcome, NeedlingSession

from .base import ReportFilter, screenings_in_period, sessions_in_period

NEEDLING_ALLOWED = [ScreeningOutcome.CLEARED, ScreeningOutcome.CLEARED_WITH_PRECAUTIONS]


def screening_outcome_counts(report_filter: ReportFilter) -> dict[str, int]:
    """Screenings per outcome, every outcome present (0 when none)."""
    counts = screenings_in_period(report_filter).aggregate(
        **{outcome: Count("pk", filter=Q(outcome=outcome)) for outcome in ScreeningOutcome.values}
    )
    return counts


def screening_findings(report_filter: ReportFilter) -> models.QuerySet:
    """How often each red flag and contraindication was answered "yes", most frequent first:
    by question code and class as asked, across checklist versions (`text` is the question as
    one of its versions put it)."""
    return (
        ScreeningAnswer.objects.filter(
            screening__in=screenings_in_period(report_filter).values("pk"), present=True
        )
        .values("question__code", "category")
        .annotate(found=Count("pk"), text=models.Max("question__text"))
        .order_by(
            models.Case(
                *(
                    models.When(category=category, then=position)
                    for position, category in enumerate(QuestionCategory.values)
                )
            ),
            "-found",
            "text",
        )
    )


def screening_referrals(report_filter: ReportFilter) -> models.QuerySet[Screening]:
    """Screenings that referred the patient, each with `red_flags` (the answers found)."""
    return (
        screenings_in_period(report_filter)
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


def precaution_sessions(report_filter: ReportFilter) -> models.QuerySet[NeedlingSession]:
    """Sessions allowed by a screening that cleared with precautions, with its justification."""
    return (
        sessions_in_period(report_filter)
        .filter(gate_outcome=GateOutcome.PRECAUTIONS)
        .select_related("patient", "therapist", "screening")
        .order_by("started_at", "pk")
    )


def sessions_without_valid_screening(
    report_filter: ReportFilter,
) -> models.QuerySet[NeedlingSession]:
    """Sessions whose screening was not valid when they started, did not clear needling, or is
    another patient's.

    The safety gate refuses these, so any row here means a record bypassed the gate.
    """
    return (
        sessions_in_period(report_filter)
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


def sessions_without_signed_consent(
    report_filter: ReportFilter,
) -> models.QuerySet[NeedlingSession]:
    """Sessions with no signed consent of their patient in force when they started, since the
    clinic's first consent form (sessions from before signed consent existed are not counted).

    The safety gate refuses these, so any row here means a record bypassed the gate."""
    in_force = SignedConsent.objects.in_force_for_outer(
        patient_field="patient", at_field="gate_at", episode_field="episode"
    )
    first_form = ConsentForm.objects.filter(clinic=OuterRef("clinic")).order_by("published_at")
    return (
        sessions_in_period(report_filter)
        .filter(started_at__gte=Subquery(first_form.values("published_at")[:1]))
        # The gate's moment: the end of the start minute (start times are entered to the minute).
        .annotate(gate_at=TruncMinute("started_at") + timedelta(minutes=1, microseconds=-1))
        .exclude(Exists(in_force))
        .select_related("patient", "therapist")
        .order_by("started_at", "pk")
    )


def patients_without_current_consent(
    *, clinic: Clinic, therapist: User | None, now: datetime
) -> models.QuerySet[Patient]:
    """Active patients with no signed consent in force now (whatever the period), with their
    latest consent's times (none when they never signed) and their latest session."""
    in_force = SignedConsent.objects.filter(patient=OuterRef("pk")).current_at(now)
    latest = SignedConsent.objects.filter(patient=OuterRef("pk")).newest_first()
    last_session = NeedlingSession.objects.filter(patient=OuterRef("pk")).order_by(
        "-started_at", "-pk"
    )
    patients = (
        Patient.objects.for_clinic(clinic)
        .active()
        .exclude(Exists(in_force))
        .annotate(
            consent_signed_at=Subquery(latest.values("signed_at")[:1]),
            consent_withdrawn_at=Subquery(latest.values("withdrawn_at")[:1]),
            consent_episode_closed_on=Subquery(latest.values("episode__closed_on")[:1]),
            last_session_at=Subquery(last_session.values("started_at")[:1]),
            last_therapist_id=Subquery(last_session.values("therapist_id")[:1]),
        )
    )
    if therapist:
        patients = patients.filter(last_therapist_id=therapist.pk)
    return patients.order_by(
        F("last_session_at").desc(nulls_last=True), "last_name", "first_name", "pk"
    )
