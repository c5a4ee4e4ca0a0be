"""What the therapist's worklist reads about patients' links: their answers and alerts."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Exists, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from patients.instruments import INSTRUMENTS
from sessions.models import (
    AdherenceEntry,
    CheckStatus,
    ContactMethod,
    ExerciseLog,
    SorenessCheck,
    StrengtheningPlan,
)
from sessions.models.adherence import EntrySource

from .models import Delivery, LinkState, PatientLink
from .rules import NO_LOG_ALERT_AFTER, PAIN_DURING_ALERT, SELF_REPORTS_SHOWN_FOR

WORKLIST_ROWS = 25


def recent_self_reports(*, clinic, now: datetime) -> list[SorenessCheck]:
    """Soreness checks the clinic's patients answered themselves lately, newest first."""
    return list(
        SorenessCheck.objects.for_clinic(clinic)
        .filter(
            status=CheckStatus.DONE,
            method=ContactMethod.SELF_REPORT,
            done_at__gte=now - SELF_REPORTS_SHOWN_FOR,
        )
        .select_related("session__patient")
        .order_by("-done_at", "-pk")[:WORKLIST_ROWS]
    )


def exercise_alerts(*, clinic, now: datetime) -> list[StrengtheningPlan]:
    """Active plans logged by link whose patient reported pain during >= 7 in the last week,
    or has not logged for a week (since the link was sent, if never). One query.

    Each plan carries `last_log` (a date or None) and `worst_pain` (the last week's)."""
    since = timezone.localdate(now) - timedelta(days=NO_LOG_ALERT_AFTER.days)
    patient_logs = AdherenceEntry.objects.filter(
        plan=OuterRef("pk"), source=EntrySource.PATIENT_LOG
    )
    worst_pain = (
        ExerciseLog.objects.filter(
            entry__plan=OuterRef("pk"),
            entry__source=EntrySource.PATIENT_LOG,
            entry__date__gt=since,
        )
        .order_by()
        .values("entry__plan")
        .annotate(worst=Max("pain_during"))
        .values("worst")
    )
    links = PatientLink.objects.filter(plan=OuterRef("pk"))
    return list(
        StrengtheningPlan.objects.for_clinic(clinic)
        .active()
        .filter(Exists(links.filter(revoked_at__isnull=True)))
        .annotate(
            last_log=Subquery(patient_logs.order_by("-date").values("date")[:1]),
            worst_pain=Subquery(worst_pain),
            first_link_at=Subquery(links.order_by("created_at").values("created_at")[:1]),
        )
        .filter(
            Q(worst_pain__gte=PAIN_DURING_ALERT)
            | Q(last_log__lte=since)
            | Q(last_log__isnull=True, first_link_at__lte=now - NO_LOG_ALERT_AFTER)
        )
        .select_related("patient")
        .order_by("patient__last_name", "pk")[:WORKLIST_ROWS]
    )


def worklist_panels_change_at(
    *, clinic, now: datetime, self_reports: list[SorenessCheck]
) -> datetime:
    """When the worklist's panels change with time alone: a self report shown drops out, a
    day begins (the alerts' week moves on), or a plan's first link turns a week old with
    nothing logged (any plan link sent in the last week stands for it). One query."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    moments = [timezone.make_aware(datetime.combine(tomorrow, time.min))]
    moments += [check.done_at + SELF_REPORTS_SHOWN_FOR for check in self_reports]
    first = PatientLink.objects.filter(
        clinic=clinic, plan__isnull=False, created_at__gt=now - NO_LOG_ALERT_AFTER
    ).aggregate(first=Min("created_at"))["first"]
    if first is not None:
        moments.append(first + NO_LOG_ALERT_AFTER)
    return min(moments)


@dataclass(frozen=True)
class LinkStatus:
    """A link's state as staff see it, since when, and whether it still opens."""

    link: PatientLink
    state: LinkState
    at: datetime
    live: bool

    @property
    def instrument_names(self) -> list[str]:
        return [INSTRUMENTS[code].name for code in self.link.instruments if code in INSTRUMENTS]


def link_status(link: PatientLink, *, now: datetime) -> LinkStatus:
    """The link's latest event: revoked, answered, expired, opened, sent, or not sent yet.
    `link` carries `sent_at` (its first delivery's sending time), as `newest_outcome_link`
    reads it."""
    live = link.revoked_at is None and link.expires_at > now and link.answered_at is None
    if link.revoked_at is not None:
        return LinkStatus(link, LinkState.REVOKED, link.revoked_at, live)
    if link.answered_at is not None:
        return LinkStatus(link, LinkState.ANSWERED, link.answered_at, live)
    if link.expires_at <= now:
        return LinkStatus(link, LinkState.EXPIRED, link.expires_at, live)
    if link.opened_at is not None:
        return LinkStatus(link, LinkState.OPENED, link.opened_at, live)
    if link.sent_at is not None:
        return LinkStatus(link, LinkState.SENT, link.sent_at, live)
    return LinkStatus(link, LinkState.NOT_SENT, link.created_at, live)


def newest_outcome_link(*, episode, now: datetime) -> LinkStatus | None:
    """The episode's newest outcome-measure link and its state (one query), or None."""
    sent = Delivery.objects.filter(link=OuterRef("pk"), sent_at__isnull=False).order_by("sent_at")
    link = (
        PatientLink.objects.filter(episode=episode)
        .annotate(sent_at=Subquery(sent.values("sent_at")[:1]))
        .order_by("-created_at", "-pk")
        .first()
    )
    return None if link is None else link_status(link, now=now)
