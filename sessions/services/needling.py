"""Needling sessions: every write to a session.

Every write path (the session form, the admin, any future API) goes through `session_record`,
`session_update` or `session_sign`, which run the safety gate (`sessions.services.gate`).
"""

from collections.abc import Mapping, Sequence
from copy import copy
from typing import Any
from uuid import UUID

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.accounts.models import User
from clinic.audit.bulk import created_entry, entries_write, updated_entry
from clinic.lib.form_tokens import FORM_TOKEN, create_once
from patients.models import EpisodeOfCare, Patient, Screening
from patients.services.versions import record_version_bump

from ..models import (
    AdverseEvent,
    AdverseEventType,
    EventStatus,
    NeedlingSession,
    SessionAddendum,
    SessionStatus,
    TriggerPointSite,
)
from ..models.session import MAX_SITES, NO_CONSENT, TOO_MANY_SITES, SessionLockedError
from ..rules.clock import CLOCK_SKEW
from .followup import followups_schedule
from .gate import gate_enforce

HEALTH_NOT_CONFIRMED = (
    "The patient must confirm their health and medication are unchanged since the screening."
)
STARTED_IN_FUTURE = "The session cannot start in the future."
SESSION_SIGNED = "This session is signed and can no longer be changed; add an addendum instead."
NOT_YOUR_SESSION = "Only the treating therapist can change or sign this session."
INCOMPLETE_FOR_SIGNING = "Before signing, record: {missing}."
NEEDLE_COUNT_MISMATCH = (
    "Needles used ({used}) and needles removed and disposed ({disposed}) differ by {missing}: "
    "recount, or record a forgotten needle or needle breakage adverse event for each needle not "
    "accounted for ({recorded} recorded)."
)
# Each adverse event of these types accounts for one needle not removed and disposed.
UNACCOUNTED_NEEDLE_EVENTS = (AdverseEventType.FORGOTTEN_NEEDLE, AdverseEventType.NEEDLE_BREAKAGE)
ADDENDUM_NEEDS_SIGNED = "Addenda are for signed sessions; edit the draft instead."
ADDENDUM_WRONG_CLINIC = "Only staff of the patient's clinic can add an addendum."
SITE_OF_ANOTHER_SESSION = (
    "A site row of the form is not one of this session's sites; reload the form and try again."
)


def _check_details(details: Mapping[str, Any]) -> None:
    if not details.get("consent_obtained"):
        raise ValidationError({"consent_obtained": NO_CONSENT})
    if not details.get("health_unchanged"):
        raise ValidationError({"health_unchanged": HEALTH_NOT_CONFIRMED})
    if details["started_at"] > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"started_at": STARTED_IN_FUTURE})


def _check_own_sites(session: NeedlingSession | None, sites: Sequence[Mapping[str, Any]]) -> None:
    """At most MAX_SITES rows, each naming nothing or one of the session's own sites (none
    for a new session)."""
    if len(sites) > MAX_SITES:
        raise ValidationError(TOO_MANY_SITES)
    named = {values["id"].pk for values in sites if values.get("id") is not None}
    own = set(session.sites.filter(pk__in=named).values_list("pk", flat=True)) if session else set()
    if named - own:
        raise ValidationError(SITE_OF_ANOTHER_SESSION)


def _save_site(session: NeedlingSession, values: Mapping[str, Any]) -> TriggerPointSite:
    values = dict(values)
    named = values.pop("id", None)
    # The row is read again through the session, whatever object the caller passed.
    site = session.sites.get(pk=named.pk) if named else TriggerPointSite(session=session)
    for name, value in values.items():
        setattr(site, name, value)
    site.lung_risk = site.muscle.lung_risk
    site.full_clean(exclude=["session"])
    site.save()
    return site


@transaction.atomic
def session_record(
    *,
    patient: Patient,
    therapist: User,
    sites: Sequence[Mapping[str, Any]],
    screening: Screening | None = None,
    form_token: UUID | None = None,
    episode: EpisodeOfCare | None = None,
    sign: bool = False,
    **details: Any,
) -> NeedlingSession:
    """Record a draft needling session with its sites, all or nothing, behind the gate, in
    `episode` or the patient's open episode of care the gate finds.

    With `sign`, a note complete for signing is signed at once, as `session_sign` would (the
    gate just passed for the same moment and sites); an incomplete one stays a draft, for
    `session_sign` to say what is missing. A second submit of the same form (same
    `form_token`) returns the first's session."""
    return create_once(
        NeedlingSession,
        token=form_token,
        owner={"patient_id": patient.pk, "therapist_id": therapist.pk},
        create=lambda: _session_create(
            patient=patient,
            therapist=therapist,
            sites=sites,
            screening=screening,
            form_token=form_token,
            episode=episode,
            sign=sign,
            details=details,
        ),
    )


def _session_create(
    *,
    patient: Patient,
    therapist: User,
    sites: Sequence[Mapping[str, Any]],
    screening: Screening | None,
    form_token: UUID | None,
    episode: EpisodeOfCare | None,
    sign: bool,
    details: Mapping[str, Any],
) -> NeedlingSession:
    _check_own_sites(None, sites)
    _check_details(details)
    gate = gate_enforce(
        patient=patient,
        therapist=therapist,
        at=details["started_at"],
        sites=sites,
        screening=screening,
        episode=episode,
    )
    session = NeedlingSession(
        patient=patient,
        therapist=therapist,
        episode=gate.episode,
        screening=gate.screening,
        gate_outcome=gate.outcome,
        gate_summary=gate.summary(sites),
        status=SessionStatus.DRAFT,
        form_token=form_token,
        **details,
    )
    # create_once has looked the token up; the unique constraint guards a parallel submit.
    session.full_clean(exclude=[FORM_TOKEN] if form_token else None)
    with disable_auditlog():
        session.save()
    audit = [created_entry(session)]
    needled = _sites_create(session, sites)
    audit += [created_entry(site) for site in needled]
    if sign and _signing_refusal(session) is None:
        _signed(session, needled, audit)
    entries_write(audit)
    record_version_bump(patient.pk)
    return session


def _sites_create(
    session: NeedlingSession, sites: Sequence[Mapping[str, Any]]
) -> list[TriggerPointSite]:
    """The new session's sites, validated, in one insert."""
    rows = []
    for values in sites:
        site = TriggerPointSite(session=session, **{k: v for k, v in values.items() if k != "id"})
        site.lung_risk = site.muscle.lung_risk
        site.full_clean(exclude=["session"])
        rows.append(site)
    return TriggerPointSite.objects.bulk_create(rows)


def session_check_editable(*, session: NeedlingSession, actor: User) -> None:
    """Raise ValidationError saying why `actor` may not change this session, if so."""
    if session.is_signed:
        raise ValidationError(SESSION_SIGNED)
    if actor.pk != session.therapist_id:
        raise ValidationError(NOT_YOUR_SESSION)


@transaction.atomic
def session_update(
    *,
    session: NeedlingSession,
    actor: User,
    sites: Sequence[Mapping[str, Any]],
    **details: Any,
) -> NeedlingSession:
    """Change a draft session; the gate runs again on the whole note."""
    session = NeedlingSession.objects.select_for_update().get(pk=session.pk)
    session_check_editable(session=session, actor=actor)
    _check_own_sites(session, sites)
    _check_details(details)
    gate = gate_enforce(
        patient=session.patient,
        therapist=actor,
        at=details["started_at"],
        sites=sites,
        episode=session.episode,
    )
    for name, value in details.items():
        setattr(session, name, value)
    session.screening = gate.screening
    session.gate_outcome = gate.outcome
    session.gate_summary = gate.summary(sites)
    session.full_clean()
    session.save()
    for values in sites:
        _save_site(session, values)
    record_version_bump(session.patient_id)
    return session


@transaction.atomic
def session_sign(*, session: NeedlingSession, actor: User) -> NeedlingSession:
    """Sign and lock the note. Afterwards corrections are addenda."""
    session = (
        NeedlingSession.objects.select_for_update(of=("self",))
        .select_related("patient__clinic", "therapist", "episode", "screening")
        .get(pk=session.pk)
    )
    session_check_editable(session=session, actor=actor)
    refusal = _signing_refusal(session)
    if refusal:
        raise ValidationError(refusal)
    needled = list(session.sites.select_related("muscle"))
    sites = [
        {
            "muscle": s.muscle,
            "side": s.side,
            "technique": s.technique,
            "lung_risk_acknowledged": s.lung_risk_acknowledged,
            "depth_mm": s.depth_mm,
        }
        for s in needled
    ]
    gate_enforce(
        patient=session.patient,
        therapist=actor,
        at=session.started_at,
        sites=sites,
        screening=session.screening,
        episode=session.episode,
    )
    audit = []
    _signed(session, needled, audit)
    entries_write(audit)
    record_version_bump(session.patient_id)
    return session


def _signing_refusal(session: NeedlingSession) -> str | None:
    """Why the note cannot be signed yet, if so."""
    missing = [
        label
        for label, ok in [
            ("pain after treatment", session.pain_after is not None),
            ("clean technique confirmed", session.clean_technique),
            ("sharps disposal confirmed", session.sharps_disposed),
            ("needles used", session.needles_used is not None),
            ("needles removed and disposed", session.needles_disposed is not None),
        ]
        if not ok
    ]
    if missing:
        return INCOMPLETE_FOR_SIGNING.format(missing=", ".join(missing))
    return _needle_count_refusal(session)


def _signed(
    session: NeedlingSession, needled: Sequence[TriggerPointSite], audit: list[LogEntry | None]
) -> None:
    """Sign the draft (gate passed, note complete) and schedule its follow-ups; their audit
    entries, as auditlog writes them on save, go to `audit`."""
    before = copy(session)
    session.status = SessionStatus.SIGNED
    session.signed_at = timezone.now()
    session.full_clean(exclude=[FORM_TOKEN])  # signing leaves the token as it was
    audit.append(updated_entry(before, session))
    session.updated_at = timezone.now()
    signed = NeedlingSession.objects.filter(pk=session.pk, status=SessionStatus.DRAFT).update(
        status=session.status, signed_at=session.signed_at, updated_at=session.updated_at
    )
    if not signed:
        raise SessionLockedError
    followups_schedule(
        session=session, lung_risk=any(site.lung_risk for site in needled), audit=audit
    )


def _needle_count_refusal(session: NeedlingSession) -> str | None:
    """Count them in, count them out: every needle used is removed and disposed, or an adverse
    event says which was forgotten or broke."""
    missing = session.needles_unaccounted
    if not missing:
        return None
    recorded = (
        AdverseEvent.objects.filter(session=session, event_type__in=UNACCOUNTED_NEEDLE_EVENTS)
        .exclude(status=EventStatus.DISMISSED)
        .count()
    )
    if recorded < missing:
        return NEEDLE_COUNT_MISMATCH.format(
            used=session.needles_used,
            disposed=session.needles_disposed,
            missing=missing,
            recorded=recorded,
        )
    return None


@transaction.atomic
def addendum_add(
    *,
    session: NeedlingSession,
    author: User,
    reason: str,
    text: str,
    form_token: UUID | None = None,
) -> SessionAddendum:
    if not session.is_signed:
        raise ValidationError(ADDENDUM_NEEDS_SIGNED)
    if author.clinic_id != session.patient.clinic_id:
        raise ValidationError(ADDENDUM_WRONG_CLINIC)
    addendum = SessionAddendum(
        session=session,
        author=author,
        reason=reason.strip(),
        text=text.strip(),
        form_token=form_token,
    )

    def create() -> SessionAddendum:
        addendum.full_clean()
        addendum.save()
        record_version_bump(session.patient_id)
        return addendum

    return create_once(
        SessionAddendum,
        token=form_token,
        owner={"session_id": session.pk, "author_id": author.pk},
        create=create,
    )
