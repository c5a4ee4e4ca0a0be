"""Episodes of care and their outcome measures: intake, scores, discharge."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.accounts.models import Role, User
from clinic.formats import shown
from clinic.lib.form_tokens import create_once

from ..instruments import INSTRUMENTS, Timepoint
from ..models import CollectionMethod, EpisodeOfCare, OutcomeAssessment, Patient
from .patient import PATIENT_ARCHIVED
from .scoring import Responses, instrument_score
from .versions import record_version_bump

NOT_CLINIC_THERAPIST = (
    "Only a physical therapist of the patient's clinic can run an episode of care."
)
NOT_CLINIC_STAFF = "Only staff of the patient's clinic can record outcome measures."
DATE_IN_FUTURE = "The date cannot be in the future."
ALREADY_DISCHARGED = "This episode of care is already discharged."
DISCHARGE_BEFORE_LAST_SESSION = (
    "The discharge date is before the episode's last needling session ({last})."
)
TAKEN_OUTSIDE_EPISODE = "The score's date must fall within the episode of care ({span})."
CLOSED_EPISODE_DISCHARGE_ONLY = "A discharged episode takes only discharge scores."
RATES_CHANGE_NOT_AT_INTAKE = "{instrument} rates change since intake: record it later."
PSFS_ACTIVITY_UNNAMED = "Name the activity rated in activity {number}."


def _check_clinic_therapist(therapist: User, patient: Patient) -> None:
    if therapist.role != Role.THERAPIST or therapist.clinic_id != patient.clinic_id:
        raise ValidationError(NOT_CLINIC_THERAPIST)


def _check_not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: DATE_IN_FUTURE})


@transaction.atomic
def episode_open(
    *,
    patient: Patient,
    therapist: User,
    body_region: str,
    complaint: str,
    opened_on: date,
    onset_date: date | None = None,
    goal: str = "",
    referral_source: str = "",
    form_token: UUID | None = None,
) -> EpisodeOfCare:
    """Open an episode of care at intake (one open episode per patient and body region).

    A second submit of the same form (same `form_token`) returns the first's episode."""
    return create_once(
        EpisodeOfCare,
        token=form_token,
        owner={"patient_id": patient.pk, "therapist_id": therapist.pk},
        create=lambda: _episode_create(
            patient=patient,
            therapist=therapist,
            body_region=body_region,
            complaint=complaint,
            opened_on=opened_on,
            onset_date=onset_date,
            goal=goal,
            referral_source=referral_source,
            form_token=form_token,
        ),
    )


def _episode_create(
    *,
    patient: Patient,
    therapist: User,
    body_region: str,
    complaint: str,
    opened_on: date,
    onset_date: date | None,
    goal: str,
    referral_source: str,
    form_token: UUID | None,
) -> EpisodeOfCare:
    _check_clinic_therapist(therapist, patient)
    if patient.is_archived:
        raise ValidationError(PATIENT_ARCHIVED)
    _check_not_future(opened_on, "opened_on")
    episode = EpisodeOfCare(
        patient=patient,
        clinic_id=patient.clinic_id,
        therapist=therapist,
        body_region=body_region,
        complaint=complaint.strip(),
        onset_date=onset_date,
        goal=goal.strip(),
        referral_source=referral_source.strip(),
        opened_on=opened_on,
        form_token=form_token,
    )
    episode.full_clean()
    episode.save()
    record_version_bump(patient.pk)
    return episode


@transaction.atomic
def episode_discharge(
    *, episode: EpisodeOfCare, actor: User, closed_on: date, reason: str, note: str = ""
) -> EpisodeOfCare:
    """Close the episode at discharge with its reason."""
    episode = EpisodeOfCare.objects.select_for_update().get(pk=episode.pk)
    _check_clinic_therapist(actor, episode.patient)
    if not episode.is_open:
        raise ValidationError(ALREADY_DISCHARGED)
    _check_not_future(closed_on, "closed_on")
    last = episode.needling_sessions.order_by("-started_at").values_list("started_at", flat=True)
    last_session = last.first()
    if last_session and closed_on < timezone.localtime(last_session).date():
        raise ValidationError(
            {
                "closed_on": DISCHARGE_BEFORE_LAST_SESSION.format(
                    last=shown(timezone.localdate(last_session))
                )
            }
        )
    episode.closed_on = closed_on
    episode.discharge_reason = reason
    episode.discharge_note = note.strip()
    episode.full_clean()
    episode.save()
    record_version_bump(episode.patient_id)
    return episode


def _check_timing(episode: EpisodeOfCare, timepoint: str, taken_on: date) -> None:
    """A score falls within its episode; a discharge score may come after the discharge day
    (a questionnaire the patient answers at home once discharged)."""
    _check_not_future(taken_on, "taken_on")
    if timepoint == Timepoint.DISCHARGE:
        end = timezone.localdate()
    else:
        end = episode.closed_on or timezone.localdate()
    if not episode.opened_on <= taken_on <= end:
        span = f"{shown(episode.opened_on)} to {shown(end)}"
        raise ValidationError({"taken_on": TAKEN_OUTSIDE_EPISODE.format(span=span)})


def _item_labels(instrument: str, responses: Responses, labels: Sequence[str]) -> list[str]:
    spec = INSTRUMENTS[instrument]
    if not spec.patient_named_items:
        return []
    labels = [label.strip() for label in labels] + [""] * (spec.item_count - len(labels))
    unnamed = [
        number
        for number, (value, label) in enumerate(zip(responses, labels, strict=False), start=1)
        if value is not None and not label
    ]
    if unnamed:
        raise ValidationError(PSFS_ACTIVITY_UNNAMED.format(number=unnamed[0]))
    return labels[: spec.item_count]


def outcome_check_collectable(*, episode: EpisodeOfCare, instrument: str, timepoint: str) -> None:
    """Raise ValidationError if this instrument cannot be collected at this timepoint: a
    discharged episode takes discharge scores only; the GROC is not taken at intake."""
    spec = INSTRUMENTS[instrument]
    if spec.rates_change and timepoint == Timepoint.INTAKE:
        raise ValidationError(RATES_CHANGE_NOT_AT_INTAKE.format(instrument=spec.name))
    if not episode.is_open and timepoint != Timepoint.DISCHARGE:
        raise ValidationError(CLOSED_EPISODE_DISCHARGE_ONLY)


@transaction.atomic
def outcome_record(
    *,
    episode: EpisodeOfCare,
    recorded_by: User | None,
    instrument: str,
    timepoint: str,
    taken_on: date,
    responses: Responses,
    item_labels: Sequence[str] = (),
    method: str = CollectionMethod.STAFF,
    form_token: UUID | None = None,
) -> OutcomeAssessment:
    """Record one instrument's responses; its scoring service computes the score. A patient's
    self-report (through a link) has no staff recorder.

    A second submit of the same form (same `form_token`) returns the first's assessment."""
    return create_once(
        OutcomeAssessment,
        token=form_token,
        owner={"episode_id": episode.pk, "recorded_by_id": recorded_by and recorded_by.pk},
        create=lambda: _outcome_create(
            episode=episode,
            recorded_by=recorded_by,
            instrument=instrument,
            timepoint=timepoint,
            taken_on=taken_on,
            responses=responses,
            item_labels=item_labels,
            method=method,
            form_token=form_token,
        ),
    )


def _outcome_create(
    *,
    episode: EpisodeOfCare,
    recorded_by: User | None,
    instrument: str,
    timepoint: str,
    taken_on: date,
    responses: Responses,
    item_labels: Sequence[str],
    method: str,
    form_token: UUID | None,
) -> OutcomeAssessment:
    if method == CollectionMethod.STAFF and (
        recorded_by is None or recorded_by.clinic_id != episode.clinic_id
    ):
        raise ValidationError(NOT_CLINIC_STAFF)
    outcome_check_collectable(episode=episode, instrument=instrument, timepoint=timepoint)
    _check_timing(episode, timepoint, taken_on)
    responses = list(responses)
    assessment = OutcomeAssessment(
        episode=episode,
        instrument=instrument,
        timepoint=timepoint,
        taken_on=taken_on,
        responses=responses,
        score=instrument_score(instrument=instrument, responses=responses),
        item_labels=_item_labels(instrument, responses, item_labels),
        method=method,
        recorded_by=recorded_by if method == CollectionMethod.STAFF else None,
        form_token=form_token,
    )
    assessment.full_clean()
    assessment.save()
    record_version_bump(episode.patient_id)
    return assessment
