"""The gate refuses needling outside an open episode of care of the patient."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.formats import shown
from patients.models import BodyRegion, DischargeReason
from patients.services import episode as episode_services
from sessions.services import gate as safety_gate
from sessions.services import needling as session_services
from tests.builders import session_details, site
from tests.factories import EpisodeOfCareFactory, PatientFactory

pytestmark = pytest.mark.django_db


def open_episode(patient, therapist, **overrides):
    values = {
        "body_region": BodyRegion.LUMBAR,
        "complaint": "Low back pain lifting",
        "opened_on": timezone.localdate() - timedelta(days=10),
    }
    values.update(overrides)
    return episode_services.episode_open(patient=patient, therapist=therapist, **values)


def record(patient, therapist, muscle, **overrides):
    return session_services.session_record(
        patient=patient,
        therapist=therapist,
        sites=[site(muscle)],
        **overrides,
        **session_details(),
    )


def test_needling_without_an_open_episode_is_refused(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic, episode=False)
    screen(patient)
    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(patient, therapist, muscles["Gluteus medius"])
    assert refusal.value.message == safety_gate.NO_OPEN_EPISODE


def test_needling_after_discharge_is_refused(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic, episode=False)
    screen(patient)
    episode = open_episode(patient, therapist)
    episode = episode_services.episode_discharge(
        episode=episode,
        actor=therapist,
        closed_on=timezone.localdate() - timedelta(days=1),
        reason=DischargeReason.SELF_DISCHARGED,
    )
    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(patient, therapist, muscles["Gluteus medius"])
    assert refusal.value.message == safety_gate.NO_OPEN_EPISODE
    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(patient, therapist, muscles["Gluteus medius"], episode=episode)
    closed = shown(episode.closed_on)
    assert refusal.value.message == safety_gate.EPISODE_CLOSED.format(closed=closed)


def test_needling_before_the_chosen_episodes_intake_is_refused(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic, episode=False)
    screen(patient, ago=timedelta(days=3))
    episode = open_episode(patient, therapist, opened_on=timezone.localdate())
    started = timezone.now() - timedelta(days=2)
    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        session_services.session_record(
            patient=patient,
            therapist=therapist,
            sites=[site(muscles["Gluteus medius"])],
            episode=episode,
            **session_details(started_at=started),
        )
    assert refusal.value.message == safety_gate.EPISODE_NOT_OPEN.format(
        opened=shown(episode.opened_on)
    )


def test_another_patients_episode_is_refused(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    other = EpisodeOfCareFactory(patient__clinic=therapist.clinic)
    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(patient, therapist, muscles["Gluteus medius"], episode=other)
    assert refusal.value.message == safety_gate.EPISODE_OTHER_PATIENT


def test_session_joins_the_open_episode_of_its_sites_region(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic, episode=False)
    screen(patient)
    neck = open_episode(patient, therapist, body_region=BodyRegion.HEAD_NECK)
    hip = open_episode(patient, therapist, body_region=BodyRegion.PELVIS_HIP)
    assert record(patient, therapist, muscles["Gluteus medius"]).episode == hip
    assert record(patient, therapist, muscles["Levator scapulae"]).episode == neck
