"""Episodes of care: intake, discharge, outcome measures, and needling only within one."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.formats import shown
from patients.instruments import Instrument, Timepoint
from patients.models import BodyRegion, DischargeReason, EpisodeOfCare, OutcomeAssessment
from patients.models.episode import (
    DISCHARGE_BEFORE_INTAKE,
    ONE_OPEN_EPISODE_PER_REGION,
)
from patients.services import episode as services
from tests.factories import (
    EpisodeOfCareFactory,
    NeedlingSessionFactory,
    OutcomeAssessmentFactory,
    PatientFactory,
)

pytestmark = pytest.mark.django_db


def open_episode(patient, therapist, **overrides):
    values = {
        "body_region": BodyRegion.LUMBAR,
        "complaint": "Low back pain lifting",
        "opened_on": timezone.localdate() - timedelta(days=10),
    }
    values.update(overrides)
    return services.episode_open(patient=patient, therapist=therapist, **values)


def test_intake_opens_an_episode(therapist):
    patient = PatientFactory(clinic=therapist.clinic, episode=False)
    episode = open_episode(patient, therapist, onset_date=timezone.localdate() - timedelta(days=40))
    assert episode.is_open
    assert episode.clinic == therapist.clinic


def test_second_open_episode_for_the_same_region_is_refused(therapist):
    patient = PatientFactory(clinic=therapist.clinic, episode=False)
    open_episode(patient, therapist)
    with pytest.raises(ValidationError) as error:
        open_episode(patient, therapist)
    assert error.value.messages == [ONE_OPEN_EPISODE_PER_REGION]
    # Another region may run alongside.
    open_episode(patient, therapist, body_region=BodyRegion.SHOULDER)


def test_the_database_holds_one_open_episode_per_patient_and_region(therapist):
    first = EpisodeOfCareFactory(patient__clinic=therapist.clinic)
    with pytest.raises(IntegrityError), transaction.atomic():
        EpisodeOfCare.objects.create(
            patient=first.patient,
            clinic=first.clinic,
            therapist=therapist,
            body_region=first.body_region,
            complaint="Again",
            opened_on=first.opened_on,
        )


def test_discharge_before_intake_is_refused_with_nothing_written(therapist):
    patient = PatientFactory(clinic=therapist.clinic, episode=False)
    episode = open_episode(patient, therapist)
    with pytest.raises(ValidationError) as error:
        services.episode_discharge(
            episode=episode,
            actor=therapist,
            closed_on=episode.opened_on - timedelta(days=1),
            reason=DischargeReason.GOALS_MET,
        )
    assert DISCHARGE_BEFORE_INTAKE in error.value.messages
    episode.refresh_from_db()
    assert episode.is_open


def test_discharge_before_the_last_session_is_refused(therapist):
    session = NeedlingSessionFactory(screening__patient__clinic=therapist.clinic)
    episode = session.episode
    day = timezone.localtime(session.started_at).date()
    with pytest.raises(ValidationError) as error:
        services.episode_discharge(
            episode=episode,
            actor=therapist,
            closed_on=day - timedelta(days=1),
            reason=DischargeReason.PLATEAU,
        )
    assert error.value.message_dict["closed_on"] == [
        services.DISCHARGE_BEFORE_LAST_SESSION.format(last=shown(day))
    ]


def test_outcome_score_is_computed_from_the_items(therapist):
    episode = EpisodeOfCareFactory(patient__clinic=therapist.clinic)
    assessment = services.outcome_record(
        episode=episode,
        recorded_by=therapist,
        instrument=Instrument.ODI,
        timepoint=Timepoint.INTAKE,
        taken_on=episode.opened_on,
        responses=[1, 2, 3, 4, 5, 0, 1, 2, 3, 4],
    )
    assert str(assessment.score) == "50.00"


def test_psfs_of_11_is_refused_with_nothing_written(therapist):
    episode = EpisodeOfCareFactory(patient__clinic=therapist.clinic)
    with pytest.raises(ValidationError) as error:
        services.outcome_record(
            episode=episode,
            recorded_by=therapist,
            instrument=Instrument.PSFS,
            timepoint=Timepoint.INTAKE,
            taken_on=episode.opened_on,
            responses=[11, None, None, None, None],
            item_labels=["Stairs"],
        )
    assert "Activity 1: 11 is outside 0 to 10." in error.value.messages
    assert not OutcomeAssessment.objects.exists()


def test_psfs_activity_rated_needs_its_name(therapist):
    episode = EpisodeOfCareFactory(patient__clinic=therapist.clinic)
    with pytest.raises(ValidationError) as error:
        services.outcome_record(
            episode=episode,
            recorded_by=therapist,
            instrument=Instrument.PSFS,
            timepoint=Timepoint.INTAKE,
            taken_on=episode.opened_on,
            responses=[4, 6, None, None, None],
            item_labels=["Stairs"],
        )
    assert error.value.messages == [services.PSFS_ACTIVITY_UNNAMED.format(number=2)]


def test_global_rating_of_change_is_not_taken_at_intake(therapist):
    episode = EpisodeOfCareFactory(patient__clinic=therapist.clinic)
    with pytest.raises(ValidationError):
        services.outcome_record(
            episode=episode,
            recorded_by=therapist,
            instrument=Instrument.GROC,
            timepoint=Timepoint.INTAKE,
            taken_on=episode.opened_on,
            responses=[3],
        )


def test_one_intake_score_per_instrument(therapist):
    first = OutcomeAssessmentFactory(episode__patient__clinic=therapist.clinic)
    with pytest.raises(ValidationError):
        services.outcome_record(
            episode=first.episode,
            recorded_by=therapist,
            instrument=first.instrument,
            timepoint=Timepoint.INTAKE,
            taken_on=first.taken_on,
            responses=[5],
        )


def test_score_dated_before_intake_is_refused(therapist):
    episode = EpisodeOfCareFactory(patient__clinic=therapist.clinic)
    with pytest.raises(ValidationError) as error:
        services.outcome_record(
            episode=episode,
            recorded_by=therapist,
            instrument=Instrument.NPRS,
            timepoint=Timepoint.INTAKE,
            taken_on=episode.opened_on - timedelta(days=1),
            responses=[5],
        )
    assert "taken_on" in error.value.message_dict
