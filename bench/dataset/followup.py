"""A signed session's follow-ups, adverse events and escalations, timed and escalated as
`soreness_check_record` would: the service's own builders and rules decide them."""

from datetime import timedelta

from django.utils import timezone

from sessions.models import (
    AdverseEvent,
    AdverseEventType,
    CheckStatus,
    EventStatus,
    SessionAddendum,
    Severity,
    SorenessCheck,
    Timeliness,
)
from sessions.models.followup import STAFF_METHODS
from sessions.rules.followup import CHECK_WINDOW, MISSED_AFTER
from sessions.services.followup import (
    escalation_event,
    is_high,
    scheduled_checks,
    timeliness_of,
)

EVENT_TYPES = (
    (AdverseEventType.BRUISING, 50),
    (AdverseEventType.PAIN_DURING, 15),
    (AdverseEventType.BLEEDING, 10),
    (AdverseEventType.DROWSINESS, 8),
    (AdverseEventType.HEADACHE, 6),
    (AdverseEventType.AGGRAVATION, 5),
    (AdverseEventType.VASOVAGAL, 3),
    (AdverseEventType.SKIN_REACTION, 2),
    (AdverseEventType.NAUSEA, 1),
)
AT_A_SITE = {
    AdverseEventType.BRUISING,
    AdverseEventType.BLEEDING,
    AdverseEventType.PAIN_DURING,
    AdverseEventType.SKIN_REACTION,
}
EVENT_RATE = 1 / 12
PNEUMOTHORAX_RATE = 1 / 10_000
ADDENDUM_RATE = 0.01
LINGERING_RATE = 0.01
MISSED_RATE = 0.08
RECENT = timedelta(days=14)
WINDOW_HOURS = CHECK_WINDOW.total_seconds() / 3600


def session_followup(history, session, sites) -> None:
    """A signed session's checks, its adverse event (one session in twelve), addendum and
    escalation, added to the history's rows."""
    rng = history.rng
    checks = _checks(history, session, lung_risk=any(s.lung_risk for s in sites))
    if rng.random() < EVENT_RATE:
        _event(history, session, sites)
    if rng.random() < ADDENDUM_RATE:
        history.rows.addenda.append(
            SessionAddendum(
                session=session,
                author=history.therapist,
                reason="Late entry",
                text="Patient rang: soreness settled overnight.",
            )
        )
    last = checks[-1] if checks else None
    if last and last.status == CheckStatus.DONE and _escalates(last):
        _escalation(history, last)


def _escalates(check: SorenessCheck) -> bool:
    """The service's rule at the last check: unresolved, or high after the first day."""
    return not check.resolved or is_high(hours_after=check.hours_after, soreness=check.soreness)


def _checks(history, session, *, lung_risk: bool) -> list[SorenessCheck]:
    rng, now = history.rng, history.now
    lingering = rng.random() < LINGERING_RATE
    soreness = rng.randrange(1, 6)
    closed = False
    checks = scheduled_checks(session=session, clinic=history.clinic, lung_risk=lung_risk)
    for check in checks:
        if closed:
            check.status = CheckStatus.CLOSED
            continue
        timeliness = rng.choices(Timeliness.values, weights=(5, 85, 10))[0]
        offset = {
            Timeliness.EARLY: -rng.uniform(WINDOW_HOURS + 0.5, 20),
            Timeliness.ON_TIME: rng.uniform(-WINDOW_HOURS + 0.5, WINDOW_HOURS - 0.5),
            Timeliness.LATE: rng.uniform(WINDOW_HOURS + 0.5, 36),
        }[timeliness]
        done_at = check.due_at + timedelta(hours=offset)
        if done_at > now:
            if check.due_at <= now - MISSED_AFTER:
                check.status = CheckStatus.MISSED
            continue
        if check.due_at > now - RECENT and rng.random() < MISSED_RATE:
            check.status = CheckStatus.MISSED
            continue
        soreness = max(2, soreness) if lingering else max(0, soreness - rng.randrange(1, 3))
        resolved = not lingering and (soreness == 0 or check.hours_after >= 48)
        check.status = CheckStatus.DONE
        check.done_at = done_at
        check.timeliness = timeliness_of(due_at=check.due_at, done_at=done_at)
        check.method = rng.choice([method.value for method in STAFF_METHODS])
        check.soreness = min(soreness, 3)
        check.resolved = resolved
        check.recorded_by = history.therapist
        if check.asks_warning_signs:
            check.chest_pain = check.breathlessness = check.dry_cough = False
        closed = resolved
    history.rows.checks.extend(checks)
    return checks


def _event(history, session, sites) -> None:
    rng = history.rng
    if rng.random() < PNEUMOTHORAX_RATE / EVENT_RATE:
        event_type, severity = AdverseEventType.PNEUMOTHORAX, Severity.MAJOR
    else:
        types, weights = zip(*EVENT_TYPES, strict=True)
        event_type = rng.choices(types, weights=weights)[0]
        severity = Severity.MODERATE if rng.random() < 0.05 else Severity.MILD
    onset_at = session.started_at + timedelta(minutes=rng.randrange(5, 120))
    resolved_on = timezone.localtime(onset_at).date() + timedelta(days=rng.randrange(0, 6))
    history.rows.events.append(
        AdverseEvent(
            session=session,
            site=sites[0] if event_type in AT_A_SITE else None,
            event_type=event_type,
            severity=severity,
            onset_at=onset_at,
            description=f"{AdverseEventType(event_type).label} after needling.",
            action_taken="Reassured; advice given.",
            referral_made=severity == Severity.MAJOR,
            resolved_on=resolved_on if resolved_on <= timezone.localdate(history.now) else None,
            status=EventStatus.CONFIRMED,
            reported_by=history.therapist,
        )
    )


def _escalation(history, check) -> None:
    """The service's draft, decided by the therapist unless recent."""
    event = escalation_event(check)
    if check.done_at < history.now - RECENT:
        event.decided_by = history.therapist
        event.decided_at = check.done_at + timedelta(days=1)
        if history.rng.random() < 0.7:
            event.status = EventStatus.CONFIRMED
            event.severity = Severity.MILD
        else:
            event.status = EventStatus.DISMISSED
            event.decision_reason = "Soreness settled by the next morning."
    history.rows.events.append(event)
