"""Patient links: issuing, resolving a token, opening, answering and revoking.

A token is 256 random bits, shown once (in the message that carries it) and stored as its
SHA-256 hash, so the table alone opens nothing. Every view of a link page resolves its token
here, and a link answers only while it is live: not revoked, not expired, and its check still
scheduled or its plan still active.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from auditlog.context import set_extra_data
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.accounts.models import User
from patients.instruments import INSTRUMENTS, Timepoint
from patients.models import EpisodeOfCare, OutcomeAssessment, Patient
from patients.services.episode import outcome_check_collectable
from patients.services.versions import record_version_bump
from sessions.models import CheckStatus, SorenessCheck, StrengtheningPlan

from ..models import Channel, Delivery, DeliveryStatus, LinkPurpose, PatientLink
from ..rules import (
    ALREADY_SCORED,
    CHECK_LINK_LIFETIME_AFTER_DUE,
    CHECK_NOT_OPEN,
    LINK_ALREADY_REVOKED,
    NO_CHANNEL,
    NO_CONSENT,
    NO_INSTRUMENT_CHOSEN,
    OUTCOME_LINK_LIFETIME,
    PLAN_LINK_LIFETIME,
    PLAN_NOT_ACTIVE_FOR_LINK,
    TOKEN_BYTES,
)

LINK_WRONG_CLINIC = "Only staff of the patient's clinic can manage this link."


@dataclass(frozen=True)
class IssuedLink:
    """A new link and its token: the only time the token exists outside the message."""

    link: PatientLink
    token: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def contact_channels(patient: Patient) -> list[tuple[str, str]]:
    """(channel, address) the patient may be sent links by: consent, an address, no opt-out."""
    if not patient.contact_consent:
        return []
    channels = []
    if patient.email and not patient.email_opt_out:
        channels.append((Channel.EMAIL, patient.email))
    if patient.phone and not patient.sms_opt_out:
        channels.append((Channel.SMS, patient.phone))
    return channels


def _check_contactable(patient: Patient) -> None:
    if not patient.contact_consent:
        raise ValidationError(NO_CONSENT)
    if not contact_channels(patient):
        raise ValidationError(NO_CHANNEL)


def _issue(link: PatientLink, actor: User | None, previous) -> IssuedLink:
    now = timezone.now()
    for old in previous.live(now):
        old.revoked_at = now
        old.revoked_by = actor
        old.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link.token_hash = token_hash(token)
    link.full_clean()
    link.save()
    # The link's state shows on the patient's cached worklist rows and pages.
    record_version_bump(link.patient_id)
    return IssuedLink(link=link, token=token)


@transaction.atomic
def link_issue_for_check(*, check: SorenessCheck, actor: User | None = None) -> IssuedLink:
    """A link to answer one soreness check; it replaces (revokes) the check's earlier links."""
    check = (
        SorenessCheck.objects.select_for_update()
        .select_related("session__patient")
        .get(pk=check.pk)
    )
    patient = check.session.patient
    if actor is not None and actor.clinic_id != patient.clinic_id:
        raise ValidationError(LINK_WRONG_CLINIC)
    if check.status != CheckStatus.SCHEDULED:
        raise ValidationError(CHECK_NOT_OPEN)
    _check_contactable(patient)
    link = PatientLink(
        clinic_id=patient.clinic_id,
        patient=patient,
        purpose=LinkPurpose.SORENESS_CHECK,
        soreness_check=check,
        expires_at=check.due_at + CHECK_LINK_LIFETIME_AFTER_DUE,
    )
    return _issue(link, actor, PatientLink.objects.filter(soreness_check=check))


@transaction.atomic
def link_issue_for_plan(*, plan: StrengtheningPlan, actor: User) -> IssuedLink:
    """The standing link to an active plan; it replaces (revokes) the plan's earlier links."""
    plan = StrengtheningPlan.objects.select_for_update().select_related("patient").get(pk=plan.pk)
    if actor.clinic_id != plan.patient.clinic_id:
        raise ValidationError(LINK_WRONG_CLINIC)
    if not plan.is_active:
        raise ValidationError(PLAN_NOT_ACTIVE_FOR_LINK)
    _check_contactable(plan.patient)
    link = PatientLink(
        clinic_id=plan.patient.clinic_id,
        patient=plan.patient,
        purpose=LinkPurpose.PLAN,
        plan=plan,
        expires_at=timezone.now() + PLAN_LINK_LIFETIME,
    )
    return _issue(link, actor, PatientLink.objects.filter(plan=plan))


def _check_measures(episode: EpisodeOfCare, timepoint: str, instruments: list[str]) -> None:
    """Each instrument may be collected at this timepoint and is not already scored there."""
    if not instruments:
        raise ValidationError(NO_INSTRUMENT_CHOSEN)
    for code in instruments:
        outcome_check_collectable(episode=episode, instrument=code, timepoint=timepoint)
    if timepoint == Timepoint.REASSESSMENT:
        return
    scored = (
        OutcomeAssessment.objects.filter(
            episode=episode, timepoint=timepoint, instrument__in=instruments
        )
        .values_list("instrument", flat=True)
        .first()
    )
    if scored:
        raise ValidationError(
            ALREADY_SCORED.format(
                instrument=INSTRUMENTS[scored].name, timepoint=Timepoint(timepoint).label.lower()
            )
        )


@transaction.atomic
def link_issue_for_outcomes(
    *, episode: EpisodeOfCare, actor: User, timepoint: str, instruments: list[str]
) -> IssuedLink:
    """A link for the patient to fill the episode's instruments due at `timepoint`; it replaces
    (revokes) the episode's earlier outcome-measure links, and works once, for a few days."""
    episode = EpisodeOfCare.objects.select_for_update().select_related("patient").get(pk=episode.pk)
    if actor.clinic_id != episode.clinic_id:
        raise ValidationError(LINK_WRONG_CLINIC)
    instruments = [code for code in INSTRUMENTS if code in set(instruments)]
    _check_measures(episode, timepoint, instruments)
    _check_contactable(episode.patient)
    link = PatientLink(
        clinic_id=episode.clinic_id,
        patient=episode.patient,
        purpose=LinkPurpose.OUTCOME_MEASURE,
        episode=episode,
        timepoint=timepoint,
        instruments=instruments,
        expires_at=timezone.now() + OUTCOME_LINK_LIFETIME,
    )
    return _issue(link, actor, PatientLink.objects.filter(episode=episode))


def link_for_token(token: str, *, now: datetime | None = None) -> PatientLink | None:
    """The live link this token opens, or None (unknown, expired, revoked or used up)."""
    now = now or timezone.now()
    link = (
        PatientLink.objects.live(now)
        .select_related("clinic", "patient", "soreness_check__session", "plan", "episode")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        return None
    if link.purpose == LinkPurpose.SORENESS_CHECK:
        return link if link.soreness_check.status == CheckStatus.SCHEDULED else None
    if link.purpose == LinkPurpose.OUTCOME_MEASURE:
        answerable = link.episode.is_open or link.timepoint == Timepoint.DISCHARGE
        return link if link.answered_at is None and answerable else None
    return link if link.plan.is_active else None


def as_the_patient(link: PatientLink):
    """Audit entries written inside this context name the link the patient came through."""
    return set_extra_data({"additional_data": {"via_patient_link": link.pk}})


def _log(link: PatientLink, event: str) -> None:
    LogEntry.objects.log_create(
        link,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=None,
        additional_data={"via_patient_link": link.pk, "event": event},
    )


def _move_deliveries(link: PatientLink, status: str, from_statuses: list[str]) -> None:
    for delivery in Delivery.objects.filter(link=link, status__in=from_statuses):
        delivery.status = status
        delivery.save(update_fields=["status", "updated_at"])


@transaction.atomic
def link_opened(*, link: PatientLink) -> PatientLink:
    """The patient opened the page: on the audit trail, and the first time on the deliveries."""
    if link.opened_at is None:
        link.opened_at = timezone.now()
        link.save(update_fields=["opened_at", "updated_at"])
        _move_deliveries(link, DeliveryStatus.OPENED, [DeliveryStatus.SENT])
        record_version_bump(link.patient_id)
    _log(link, "opened")
    return link


@transaction.atomic
def link_answered(*, link: PatientLink) -> PatientLink:
    link.answered_at = timezone.now()
    link.save(update_fields=["answered_at", "updated_at"])
    _move_deliveries(link, DeliveryStatus.ANSWERED, [DeliveryStatus.SENT, DeliveryStatus.OPENED])
    record_version_bump(link.patient_id)
    _log(link, "answered")
    return link


@transaction.atomic
def link_revoke(*, link: PatientLink, actor: User) -> PatientLink:
    link = PatientLink.objects.select_for_update().get(pk=link.pk)
    if actor.clinic_id != link.clinic_id:
        raise ValidationError(LINK_WRONG_CLINIC)
    if link.revoked_at is not None:
        raise ValidationError(LINK_ALREADY_REVOKED)
    link.revoked_at = timezone.now()
    link.revoked_by = actor
    link.full_clean()
    link.save()
    record_version_bump(link.patient_id)
    return link
