"""The new-session form asks which of the patient's open episodes of care the session is for."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from bench.formdata import session_form_data
from patients.models import BodyRegion, DischargeReason
from sessions.forms.needling import CHOOSE_EPISODE, EPISODE_NOT_AVAILABLE
from sessions.models import NeedlingSession
from tests.factories import EpisodeOfCareFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(therapist, screen):
    patient = PatientFactory(clinic=therapist.clinic, episode=False)
    screen(patient)
    return patient


def episode_of(patient, region=BodyRegion.PELVIS_HIP, **values):
    return EpisodeOfCareFactory(patient=patient, body_region=region, **values)


def post(client, patient, muscles, **fields):
    return client.post(
        reverse("treatment_sessions:create", args=[patient.pk]),
        session_form_data([{"muscle": muscles["Gluteus medius"].pk}], action="draft", **fields),
    )


def test_the_one_open_episode_is_preselected(therapist_client, patient, muscles):
    hip = episode_of(patient)

    page = therapist_client.get(reverse("treatment_sessions:create", args=[patient.pk]))
    post(therapist_client, patient, muscles)

    assert f'<option value="{hip.pk}" selected>' in page.content.decode()
    assert NeedlingSession.objects.get().episode == hip


def test_with_several_open_episodes_the_therapist_must_choose(therapist_client, patient, muscles):
    episode_of(patient)
    neck = episode_of(patient, BodyRegion.HEAD_NECK)

    page = therapist_client.get(reverse("treatment_sessions:create", args=[patient.pk]))
    refused = post(therapist_client, patient, muscles)

    assert "Choose the episode" in page.content.decode()
    assert escape(CHOOSE_EPISODE) in refused.content.decode()
    assert not NeedlingSession.objects.exists()

    post(therapist_client, patient, muscles, episode=str(neck.pk))
    # The therapist's choice stands, even though the site lies in the other episode's region.
    assert NeedlingSession.objects.get().episode == neck


def test_a_closed_episode_is_refused(therapist_client, therapist, patient, muscles):
    episode_of(patient)
    closed = episode_of(
        patient,
        BodyRegion.HEAD_NECK,
        closed_on=timezone.localdate() - timedelta(days=2),
        discharge_reason=DischargeReason.GOALS_MET,
    )

    response = post(therapist_client, patient, muscles, episode=str(closed.pk))

    assert escape(EPISODE_NOT_AVAILABLE) in response.content.decode()
    assert not NeedlingSession.objects.exists()


def test_another_patients_episode_is_refused(therapist_client, patient, muscles):
    episode_of(patient)
    other = episode_of(PatientFactory(clinic=patient.clinic, episode=False))

    response = post(therapist_client, patient, muscles, episode=str(other.pk))

    assert escape(EPISODE_NOT_AVAILABLE) in response.content.decode()
    assert not NeedlingSession.objects.exists()


def test_another_clinics_episode_is_refused(therapist_client, patient, muscles, other_clinic):
    episode_of(patient)
    foreign = episode_of(PatientFactory(clinic=other_clinic, episode=False))

    response = post(therapist_client, patient, muscles, episode=str(foreign.pk))

    assert escape(EPISODE_NOT_AVAILABLE) in response.content.decode()
    assert not NeedlingSession.objects.exists()


def test_a_malformed_episode_id_is_refused(therapist_client, patient, muscles):
    episode_of(patient)

    response = post(therapist_client, patient, muscles, episode="1 OR 1=1")

    assert response.status_code == 200
    assert escape(EPISODE_NOT_AVAILABLE) in response.content.decode()
    assert not NeedlingSession.objects.exists()
