"""Signing is for one of the patient's open episodes of care: a choice when there are several,
a request to open one when there is none, and never another patient's episode."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from patients.consent import services
from patients.consent.models import SignedConsent
from patients.models import BodyRegion, DischargeReason
from patients.services import episode as episode_services
from tests.factories import EpisodeOfCareFactory, PatientFactory, SignedConsentFactory

from .signing import sign
from .test_consent_views import sign_data

pytestmark = pytest.mark.django_db


def test_a_patient_without_an_open_episode_is_asked_for_the_intake_and_nothing_is_written(
    therapist_client, therapist
):
    patient = PatientFactory(clinic=therapist.clinic, consent=False, episode=False)
    url = reverse("consent:sign", args=[patient.pk])
    form = services.consent_form_current(clinic=therapist.clinic)

    page = therapist_client.get(url).content.decode()
    posted = therapist_client.post(url, sign_data(form, patient, episode=""))

    assert escape(services.NO_OPEN_EPISODE) in page
    assert reverse("patients:episode_create", args=[patient.pk]) in page
    assert 'id="signature-pad"' not in page
    assert posted.status_code == 200
    assert not SignedConsent.objects.exists()


def test_with_several_open_episodes_the_signer_chooses_and_the_consent_keeps_it(
    therapist_client, therapist
):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    neck = EpisodeOfCareFactory(
        patient=patient, body_region=BodyRegion.HEAD_NECK, complaint="Neck pain"
    )
    url = reverse("consent:sign", args=[patient.pk])
    form = services.consent_form_current(clinic=therapist.clinic)

    page = therapist_client.get(url).content.decode()
    therapist_client.post(url, sign_data(form, patient, episode=neck.pk))

    for episode in patient.episodes.all():
        assert escape(str(episode)) in page
    consent = SignedConsent.objects.get()
    assert consent.episode == neck
    record = therapist_client.get(consent.get_absolute_url()).content.decode()
    assert neck.get_absolute_url() in record


def test_an_episode_of_another_patient_is_refused_and_nothing_is_written(
    therapist_client, therapist
):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    other = PatientFactory(clinic=therapist.clinic, consent=False).episodes.get()
    form = services.consent_form_current(clinic=therapist.clinic)

    response = therapist_client.post(
        reverse("consent:sign", args=[patient.pk]), sign_data(form, patient, episode=other.pk)
    )
    with pytest.raises(ValidationError) as refused:
        sign(patient, therapist, episode=other)

    assert escape(services.EPISODE_NOT_OPEN_FOR_PATIENT) in response.content.decode()
    assert refused.value.message_dict == {"episode": [services.EPISODE_OF_ANOTHER_PATIENT]}
    assert not SignedConsent.objects.exists()


def test_a_discharged_episode_takes_no_consent(therapist):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    episode = episode_services.episode_discharge(
        episode=patient.episodes.get(),
        actor=therapist,
        closed_on=timezone.localdate(),
        reason=DischargeReason.GOALS_MET,
    )

    with pytest.raises(ValidationError) as refused:
        sign(patient, therapist, episode=episode)
    with pytest.raises(ValidationError) as none:
        sign(patient, therapist, episode=None)

    assert refused.value.message_dict == {"episode": [services.EPISODE_CLOSED]}
    assert none.value.messages == [services.NO_OPEN_EPISODE]
    assert not SignedConsent.objects.exists()


def test_consents_signed_before_episodes_are_tied_to_the_episode_open_then(therapist):
    """The data migration: the episode open at signing, else none (the consent keeps the rule
    it was signed under: withdrawal or a re-consent version)."""
    now = timezone.now()
    patient = PatientFactory(clinic=therapist.clinic, consent=False, episode=False)
    old = EpisodeOfCareFactory(
        patient=patient,
        opened_on=timezone.localdate() - timezone.timedelta(days=300),
        closed_on=timezone.localdate() - timezone.timedelta(days=200),
        discharge_reason=DischargeReason.GOALS_MET,
    )
    current = EpisodeOfCareFactory(
        patient=patient, opened_on=timezone.localdate() - timezone.timedelta(days=20)
    )
    in_old = SignedConsentFactory(patient=patient, signed_at=now - timezone.timedelta(days=250))
    between = SignedConsentFactory(patient=patient, signed_at=now - timezone.timedelta(days=100))
    in_current = SignedConsentFactory(patient=patient, signed_at=now - timezone.timedelta(days=5))

    migration = import_module("patients.consent.migrations.0003_consents_to_their_episodes")
    migration.tie_to_episodes(apps, None)

    tied = dict(SignedConsent.objects.values_list("pk", "episode"))
    assert tied == {in_old.pk: old.pk, between.pk: None, in_current.pk: current.pk}
