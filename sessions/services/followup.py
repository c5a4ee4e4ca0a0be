"""Post-needling soreness follow-up, escalation and adverse events."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from uuid import UUID

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.accounts.models import Clinic, User
from clinic.audit.bulk import created_entry, entries_write
from clinic.audit.events import as_one_event
from clinic.lib.form_tokens import create_once
from patients.services.versions import record_version_bump, record_versions_bump

from ..models import (
    AdverseEvent,
    AdverseEventType,
    CheckStatus,
    ContactMethod,
    EventStatus,
    NeedlingSession,
    Severity,
    SorenessCheck,
    Timeliness,
    TriggerPointSite,
)
from ..rules.clock import CLOCK_SKEW
from ..rules.followup import (
    CHECK_WINDOW,
    ESCALATION_AFTER_HOURS,
    ESCALATION_SORENESS,
    WARNING_SIGNS_REQUIRED,
    WARNING_SIGNS_WITHIN_HOURS,
    escalation_description,
    warning_signs_description,
)

# DOMAIN: soreness >= 4/10 at any check after the first day is not ordinary.

CHECK_ALREADY_RECORDED = "This follow-up is already recorded or closed."
CHECK_WRONG_CLINIC = "Only staff of the patient's clinic can record this follow-up."
SELF_REPORT_IS_THE_PATIENTS = "Only the patient records a self-report, through their link."
DONE_BEFORE_SESSION = "The follow-up cannot be before the treatment."
DONE_IN_FUTURE = "The follow-up cannot be recorded in the future."
SITE_NOT_IN_SESSION = "Choose sites needled in this session."
EVENT_WRONG_CLINIC = "Adverse events can only be recorded for your clinic's sessions."
ONSET_BEFORE_SESSION = "Onset cannot be before the session started."
ONSET_IN_FUTURE = "Onset cannot be in the future."
RESOLVED_BEFORE_ONSET = "Resolved on cannot be before the onset."
NOT_A_DRAFT = "Only a draft escalation can be confirmed or dismissed."
DISMISS_REASON_REQUIRED = "Say why the escalation is dismissed."
SEVERITY_REQUIRED = "Choose a severity class."
SORENESS_NOT_RESOLVED = (
    f"Soreness of {ESCALATION_SORENESS}/10 or more is not resolved; untick it or correct the score."
)


def timeliness_of(*, due_at: datetime, done_at: datetime) -> Timeliness:
    if done_at < due_at - CHECK_WINDOW:
        return Timeliness.EARLY
    if done_at > due_at + CHECK_WINDOW:
        return Timeliness.LATE
    return Timeliness.ON_TIME


def followups_schedule(
    *,
    session: NeedlingSession,
    lung_risk: bool | None = None,
    audit: list[LogEntry | None] | None = None,
) -> list[SorenessCheck]:
    """Create the clinic's follow-up checks for a signed session (called on signing), in one
    insert. Those within WARNING_SIGNS_WITHIN_HOURS of a session with a lung-risk site ask about
    warning signs (`lung_risk` when the caller already knows, else one query).

    Their audit entries go to `audit` when the caller writes them with its own, else they are
    written here."""
    clinic = session.patient.clinic
    if lung_risk is None:
        lung_risk = session.sites.filter(lung_risk=True).exists()
    checks = scheduled_checks(session=session, clinic=clinic, lung_risk=lung_risk)
    for check in checks:
        # The clinic and the session are loaded. A session is signed once, so it has no
        # checks yet: the database's one-per-time constraint guards the rest.
        check.full_clean(exclude=["clinic", "session"])
    checks = SorenessCheck.objects.bulk_create(checks)
    entries = [created_entry(check) for check in checks]
    if audit is None:
        entries_write(entries)
    else:
        audit.extend(entries)
    return checks


def scheduled_checks(
    *, session: NeedlingSession, clinic: Clinic, lung_risk: bool
) -> list[SorenessCheck]:
    """The clinic's follow-up checks of a signed session, unsaved."""
    return [
        SorenessCheck(
            session=session,
            clinic=clinic,
            hours_after=hours,
            due_at=session.started_at + timedelta(hours=hours),
            asks_warning_signs=lung_risk and hours <= WARNING_SIGNS_WITHIN_HOURS,
        )
        for hours in clinic.soreness_check_hours
    ]


@transaction.atomic
def soreness_check_record(
    *,
    check: SorenessCheck,
    actor: User | None,
    method: str,
    soreness: int,
    resolved: bool,
    done_at: datetime | None = None,
    sore_sites: Iterable[TriggerPointSite] = (),
    notes: str = "",
    chest_pain: bool | None = None,
    breathlessness: bool | None = None,
    dry_cough: bool | None = None,
) -> SorenessCheck:
    """Record a follow-up; resolving closes the rest; lasting soreness escalates; any warning
    sign after a lung-risk site was needled escalates at once to a major draft.

    Staff record as themselves; a patient's self-report (method SELF_REPORT, through their
    follow-up link) has no staff actor. Both take the same rules from here on."""
    check = (
        SorenessCheck.objects.select_for_update()
        .select_related("session__patient")
        .get(pk=check.pk)
    )
    session = check.session
    sore_sites = list(sore_sites)
    done_at = _recordable(check, actor=actor, method=method, done_at=done_at, sore_sites=sore_sites)
    _answer_warning_signs(check, (chest_pain, breathlessness, dry_cough))

    check.status = CheckStatus.DONE
    check.done_at = done_at
    check.timeliness = timeliness_of(due_at=check.due_at, done_at=done_at)
    check.method = method
    check.soreness = soreness
    check.resolved = resolved
    check.notes = notes.strip()
    check.recorded_by = actor
    check.full_clean()
    check.save()
    check.sore_sites.set(sore_sites)

    _escalate_or_close(check)
    record_version_bump(session.patient_id)
    return check


def _recordable(
    check: SorenessCheck,
    *,
    actor: User | None,
    method: str,
    done_at: datetime | None,
    sore_sites: list[TriggerPointSite],
) -> datetime:
    """Refuse a record the rules do not allow; the time it was done (now when not given)."""
    session = check.session
    if (actor is None) != (method == ContactMethod.SELF_REPORT):
        raise ValidationError(SELF_REPORT_IS_THE_PATIENTS)
    if actor is not None and actor.clinic_id != session.patient.clinic_id:
        raise ValidationError(CHECK_WRONG_CLINIC)
    if check.status not in (CheckStatus.SCHEDULED, CheckStatus.MISSED):
        raise ValidationError(CHECK_ALREADY_RECORDED)
    now = timezone.now()
    done_at = done_at or now
    if done_at < session.started_at:
        raise ValidationError({"done_at": DONE_BEFORE_SESSION})
    if done_at > now + CLOCK_SKEW:
        raise ValidationError({"done_at": DONE_IN_FUTURE})
    if any(site.session_id != session.pk for site in sore_sites):
        raise ValidationError({"sore_sites": SITE_NOT_IN_SESSION})
    return done_at


def _escalate_or_close(check: SorenessCheck) -> None:
    """After a recorded check: warning signs and lasting soreness escalate; resolved soreness
    closes the session's later checks."""
    if check.warning_signs:
        _escalate_warning_signs(check)
    remaining = SorenessCheck.objects.filter(session=check.session).open().exclude(pk=check.pk)
    is_last = not remaining.filter(due_at__gt=check.due_at).exists()
    if is_high(hours_after=check.hours_after, soreness=check.soreness) or (
        is_last and not check.resolved
    ):
        _escalate(check)
    if check.resolved:
        for later in remaining:
            later.status = CheckStatus.CLOSED
            later.save(update_fields=["status", "updated_at"])


def _answer_warning_signs(check: SorenessCheck, signs: tuple[bool | None, ...]) -> None:
    """A check that asks about warning signs needs all three answers; others ignore them."""
    if not check.asks_warning_signs:
        return
    if None in signs:
        raise ValidationError(WARNING_SIGNS_REQUIRED)
    check.chest_pain, check.breathlessness, check.dry_cough = signs


def is_high(*, hours_after: int, soreness: int) -> bool:
    """Soreness this strong after the first day is not the ordinary course, resolved or not."""
    return hours_after > ESCALATION_AFTER_HOURS and soreness >= ESCALATION_SORENESS


def _escalate(check: SorenessCheck) -> AdverseEvent | None:
    """One soreness escalation per session. A check escalated by warning signs already has its
    (major) draft: the soreness it recorded is in the same follow-up."""
    session = check.session
    earlier = AdverseEvent.objects.filter(
        session=session, escalated_from__isnull=False, event_type=AdverseEventType.PAIN_AFTER
    )
    if earlier.exists() or AdverseEvent.objects.filter(escalated_from=check).exists():
        return None
    event = escalation_event(check)
    event.full_clean()
    event.save()
    return event


def escalation_event(check: SorenessCheck) -> AdverseEvent:
    """The draft adverse event lasting or strong soreness at `check` escalates to, unsaved."""
    return AdverseEvent(
        session=check.session,
        event_type=AdverseEventType.PAIN_AFTER,
        onset_at=check.session.started_at,
        description=escalation_description(soreness=check.soreness, hours_after=check.hours_after),
        status=EventStatus.DRAFT,
        escalated_from=check,
    )


def _escalate_warning_signs(check: SorenessCheck) -> AdverseEvent:
    """A major draft at once: the patient may have a collapsed lung. Not typed pneumothorax,
    which is a diagnosis the therapist confirms later."""
    event = AdverseEvent(
        session=check.session,
        event_type=AdverseEventType.OTHER,
        severity=Severity.MAJOR,
        onset_at=check.session.started_at,
        description=warning_signs_description(
            symptoms=check.warning_signs, hours_after=check.hours_after
        ),
        status=EventStatus.DRAFT,
        escalated_from=check,
    )
    event.full_clean()
    event.save()
    return event


@as_one_event
@transaction.atomic
def followups_mark_missed(*, now: datetime | None = None) -> int:
    """Mark checks never recorded well past their due time as missed. Safe to run again.

    Row by row, not one UPDATE, so the audit trail records each change."""
    now = now or timezone.now()
    checks = list(SorenessCheck.objects.past_missing_point(now).select_for_update())
    for check in checks:
        check.status = CheckStatus.MISSED
        check.save(update_fields=["status", "updated_at"])
    if checks:
        record_versions_bump(
            NeedlingSession.objects.filter(pk__in={check.session_id for check in checks}).values(
                "patient_id"
            )
        )
    return len(checks)


def _check_event_dates(session, onset_at: datetime, resolved_on: date | None) -> None:
    if onset_at < session.started_at:
        raise ValidationError({"onset_at": ONSET_BEFORE_SESSION})
    if onset_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"onset_at": ONSET_IN_FUTURE})
    if resolved_on is not None and resolved_on < timezone.localtime(onset_at).date():
        raise ValidationError({"resolved_on": RESOLVED_BEFORE_ONSET})


@transaction.atomic
def adverse_event_record(
    *,
    session: NeedlingSession,
    reporter: User,
    event_type: str,
    severity: str,
    onset_at: datetime,
    description: str,
    action_taken: str = "",
    referral_made: bool = False,
    resolved_on: date | None = None,
    site: TriggerPointSite | None = None,
    form_token: UUID | None = None,
) -> AdverseEvent:
    if reporter.clinic_id != session.patient.clinic_id:
        raise ValidationError(EVENT_WRONG_CLINIC)
    if site is not None and site.session_id != session.pk:
        raise ValidationError({"site": SITE_NOT_IN_SESSION})
    if not severity:
        raise ValidationError({"severity": SEVERITY_REQUIRED})
    _check_event_dates(session, onset_at, resolved_on)
    event = AdverseEvent(
        session=session,
        site=site,
        event_type=event_type,
        severity=severity,
        onset_at=onset_at,
        description=description.strip(),
        action_taken=action_taken.strip(),
        referral_made=referral_made,
        resolved_on=resolved_on,
        status=EventStatus.CONFIRMED,
        reported_by=reporter,
        form_token=form_token,
    )

    def create() -> AdverseEvent:
        event.full_clean()
        event.save()
        record_version_bump(session.patient_id)
        return event

    return create_once(
        AdverseEvent,
        token=form_token,
        owner={"session_id": session.pk, "reported_by_id": reporter.pk},
        create=create,
    )


def _draft_for_decision(event: AdverseEvent, actor: User) -> AdverseEvent:
    event = (
        AdverseEvent.objects.select_for_update().select_related("session__patient").get(pk=event.pk)
    )
    if actor.clinic_id != event.session.patient.clinic_id:
        raise ValidationError(EVENT_WRONG_CLINIC)
    if event.status != EventStatus.DRAFT:
        raise ValidationError(NOT_A_DRAFT)
    return event


@transaction.atomic
def adverse_event_confirm(
    *,
    event: AdverseEvent,
    actor: User,
    severity: str,
    action_taken: str = "",
    referral_made: bool = False,
    resolved_on: date | None = None,
    reason: str = "",
) -> AdverseEvent:
    event = _draft_for_decision(event, actor)
    if severity not in Severity.values:
        raise ValidationError({"severity": SEVERITY_REQUIRED})
    _check_event_dates(event.session, event.onset_at, resolved_on)
    event.status = EventStatus.CONFIRMED
    event.severity = severity
    event.action_taken = action_taken.strip()
    event.referral_made = referral_made
    event.resolved_on = resolved_on
    event.decision_reason = reason.strip()
    event.decided_by = actor
    event.decided_at = timezone.now()
    event.reported_by = actor
    event.full_clean()
    event.save()
    record_version_bump(event.session.patient_id)
    return event


@transaction.atomic
def adverse_event_dismiss(*, event: AdverseEvent, actor: User, reason: str) -> AdverseEvent:
    event = _draft_for_decision(event, actor)
    if not reason.strip():
        raise ValidationError({"reason": DISMISS_REASON_REQUIRED})
    event.status = EventStatus.DISMISSED
    event.decision_reason = reason.strip()
    event.decided_by = actor
    event.decided_at = timezone.now()
    event.full_clean()
    event.save()
    record_version_bump(event.session.patient_id)
    return event
