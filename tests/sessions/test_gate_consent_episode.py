"""A signed consent is for one episode of care: once that episode closes, the gate refuses
needling until the patient signs again for the episode they are treated in now."""

from datetime import timedelta

import pytest
from django.utils import timezone

from patients.models import BodyRegion, DischargeReason
from patients.services import episode as episode_services
from sessions.services import gate as safety_gate
from sessions.services import needling
from tests.builders import session_details, site
from tests.consent.signing import sign
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def record_session(patient, therapist, muscles):
    return needling.session_record(
        patient=patient,
        therapist=therapist,
        sites=[site(muscles["Gluteus medius"])],
        **session_details(),
    )


def discharge_and_reopen(patient, therapist, *, closed_on):
    first = patient.episodes.get()
    episode_services.episode_discharge(
        episode=first, actor=therapist, closed_on=closed_on, reason=DischargeReason.GOALS_MET
    )
    return episode_services.episode_open(
        patient=patient,
        therapist=therapist,
        body_region=BodyRegion.PELVIS_HIP,
        complaint="Hip pain again",
        opened_on=timezone.localdate(),
    )


@pytest.mark.parametrize("closed_days_ago", [30, 0], ids=["weeks-ago", "today"])
def test_gate_refuses_once_the_consents_episode_closed_and_allows_after_signing_again(
    therapist, screen, muscles, closed_days_ago
):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    first = sign(patient, therapist, signed_at=timezone.now() - timedelta(days=60))
    assert first.episode == patient.episodes.get()
    second_episode = discharge_and_reopen(
        patient, therapist, closed_on=timezone.localdate() - timedelta(days=closed_days_ago)
    )
    screen(patient, ago=timedelta(minutes=30))

    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record_session(patient, therapist, muscles)
    assert refusal.value.message == safety_gate.CONSENT_EPISODE_CLOSED

    renewed = sign(patient, therapist, signed_at=timezone.now() - timedelta(minutes=20))
    assert renewed.episode == second_episode
    assert record_session(patient, therapist, muscles).episode == second_episode


def test_a_consent_of_an_open_episode_stays_in_force_while_another_episode_closes(
    therapist, screen, muscles
):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    neck = episode_services.episode_open(
        patient=patient,
        therapist=therapist,
        body_region=BodyRegion.HEAD_NECK,
        complaint="Neck pain",
        opened_on=timezone.localdate() - timedelta(days=10),
    )
    sign(
        patient,
        therapist,
        episode=patient.episodes.get(body_region=BodyRegion.PELVIS_HIP),
        signed_at=timezone.now() - timedelta(hours=1),
    )
    episode_services.episode_discharge(
        episode=neck,
        actor=therapist,
        closed_on=timezone.localdate(),
        reason=DischargeReason.GOALS_MET,
    )
    screen(patient, ago=timedelta(minutes=30))

    assert record_session(patient, therapist, muscles).pk is not None
