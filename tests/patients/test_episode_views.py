"""The episode page: intake, outcome measures taken by item, charts against the MID, discharge
and the printable discharge summary."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.audit import access
from patients.instruments import INSTRUMENTS, Instrument, Timepoint
from patients.models import BodyRegion, DischargeReason, EpisodeOfCare, OutcomeAssessment
from patients.models.episode import DISCHARGE_BEFORE_INTAKE
from patients.services.scoring import ITEM_OUT_OF_RANGE
from sessions.models import NeedlingSession, SessionStatus
from tests.factories import (
    AdverseEventFactory,
    EpisodeOfCareFactory,
    MuscleFactory,
    NeedlingSessionFactory,
    OutcomeAssessmentFactory,
    PatientFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db


def episode_with_care(clinic, sessions: int = 2, scores: bool = True) -> EpisodeOfCare:
    episode = EpisodeOfCareFactory(
        patient__clinic=clinic, opened_on=timezone.localdate() - timedelta(days=40)
    )
    for week in range(sessions):
        session = NeedlingSessionFactory(
            screening__patient=episode.patient,
            screening__taken_at=timezone.now() - timedelta(days=35 - 7 * week),
            episode=episode,
            pain_before=max(1, 7 - 2 * week),
        )
        TriggerPointSiteFactory(session=session, muscle=MuscleFactory(name="Piriformis"))
        NeedlingSession.objects.filter(pk=session.pk).update(
            status=SessionStatus.SIGNED, signed_at=session.started_at + timedelta(minutes=30)
        )
    if scores:
        for timepoint, day, responses in [
            (Timepoint.INTAKE, episode.opened_on, [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]),
            (Timepoint.REASSESSMENT, episode.opened_on + timedelta(days=20), [1] * 10),
        ]:
            OutcomeAssessmentFactory(
                episode=episode,
                instrument=Instrument.ODI,
                timepoint=timepoint,
                taken_on=day,
                responses=responses,
            )
    return episode


def test_therapist_opens_an_episode_at_intake(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic, episode=False)
    response = therapist_client.post(
        reverse("patients:episode_create", args=[patient.pk]),
        {
            "body_region": BodyRegion.LUMBAR,
            "complaint": "Back pain lifting",
            "opened_on": timezone.localdate().isoformat(),
        },
    )
    episode = EpisodeOfCare.objects.get(patient=patient)
    assert response.status_code == 302
    assert response.url == episode.get_absolute_url()


def test_episode_page_shows_baseline_latest_change_and_mid(therapist_client, therapist):
    episode = episode_with_care(therapist.clinic)
    response = therapist_client.get(episode.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    # ODI 60 % -> 20 %: a 40-point fall, beyond the 12-point MID.
    outcome = {o.spec.code: o for o in response.context["outcomes"]}[Instrument.ODI]
    assert (outcome.baseline, outcome.latest, outcome.change) == (60, 20, -40)
    assert outcome.mid_reached is True
    # NPRS from the sessions' pain before needling: 7 then 5.
    pain = {o.spec.code: o for o in response.context["outcomes"]}[Instrument.NPRS]
    assert (pain.baseline, pain.latest) == (7, 5)
    assert page.count("<svg") >= 2
    assert INSTRUMENTS[Instrument.ODI].mid_source in page


def test_reading_the_episode_page_goes_on_the_audit_trail(therapist_client, therapist):
    episode = episode_with_care(therapist.clinic, sessions=1, scores=False)
    therapist_client.get(episode.get_absolute_url())
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.object_pk == str(episode.patient_id)
    assert entry.actor == therapist
    assert entry.additional_data == {"page": access.EPISODE}


def test_episode_page_of_another_clinic_is_not_found(therapist_client, other_clinic):
    episode = EpisodeOfCareFactory(patient__clinic=other_clinic)
    assert therapist_client.get(episode.get_absolute_url()).status_code == 404


def test_episode_page_queries_do_not_grow_with_sessions_and_scores(therapist_client, therapist):
    small = episode_with_care(therapist.clinic, sessions=1)
    large = episode_with_care(therapist.clinic, sessions=6)
    # The first request of the signed-in client also saves its session.
    therapist_client.get(small.get_absolute_url())
    counts = []
    for episode in (small, large):
        with CaptureQueriesContext(connection) as queries:
            therapist_client.get(episode.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_psfs_of_11_shows_the_rule_and_writes_nothing(therapist_client, therapist):
    episode = EpisodeOfCareFactory(patient__clinic=therapist.clinic)
    response = therapist_client.post(
        reverse("patients:outcome_create", args=[episode.pk, Instrument.PSFS]),
        {
            "timepoint": Timepoint.INTAKE,
            "taken_on": episode.opened_on.isoformat(),
            "label_1": "Stairs",
            "item_1": "11",
        },
    )
    assert response.status_code == 200
    message = ITEM_OUT_OF_RANGE.format(item="Activity 1", value=11, low=0, high=10)
    assert message in response.content.decode()
    assert not OutcomeAssessment.objects.exists()


def test_discharge_before_intake_shows_the_rule(therapist_client, therapist):
    episode = EpisodeOfCareFactory(patient__clinic=therapist.clinic)
    response = therapist_client.post(
        reverse("patients:episode_discharge", args=[episode.pk]),
        {
            "closed_on": (episode.opened_on - timedelta(days=1)).isoformat(),
            "reason": DischargeReason.GOALS_MET,
        },
    )
    assert response.status_code == 200
    assert DISCHARGE_BEFORE_INTAKE in response.content.decode()
    episode.refresh_from_db()
    assert episode.is_open


def test_discharge_summary_lists_care_and_outcome_changes(therapist_client, therapist):
    episode = episode_with_care(therapist.clinic)
    session = episode.needling_sessions.first()
    AdverseEventFactory(session=session)
    response = therapist_client.get(reverse("patients:episode_summary", args=[episode.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pelvis/hip: 2" in page
    assert response.context["care"].adverse_events
    assert episode.complaint in page
