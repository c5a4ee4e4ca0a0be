"""The migration that brings episodes of care puts each patient's existing sessions and plans
into one open episode, in the region most of the patient's needled sites are in.

Its data step runs here on today's tables (taking the test database back through the
migrations would flush the data other tests of the worker rely on): the sessions start in a
placeholder episode, as the step finds them with none."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from patients.models import BodyRegion, EpisodeOfCare
from tests.factories import (
    EpisodeOfCareFactory,
    MuscleFactory,
    NeedlingSessionFactory,
    PatientFactory,
    StrengtheningPlanFactory,
    TriggerPointSiteFactory,
)

migration = import_module("sessions.migrations.0012_sessions_into_episodes")
pytestmark = pytest.mark.django_db

# patient -> the muscles needled at each of their sessions
HISTORY = {
    # Three lumbar sites against two pelvis/hip sites: lumbar.
    "lumbar": [
        ["Quadratus lumborum", "Gluteus medius"],
        ["Lumbar multifidus"],
        ["Piriformis", "Quadratus lumborum"],
    ],
    # One site each in head/neck and shoulder: the tie goes to the region listed first.
    "tie": [["Levator scapulae"], ["Infraspinatus"]],
}
EXPECTED = {"lumbar": BodyRegion.LUMBAR, "tie": BodyRegion.HEAD_NECK}


def saved_history(clinic):
    patients = {}
    for name, sessions in HISTORY.items():
        patient = PatientFactory(clinic=clinic, last_name=name, episode=False)
        placeholder = EpisodeOfCareFactory(patient=patient, body_region=BodyRegion.FOOT)
        for week, muscles in enumerate(sessions):
            session = NeedlingSessionFactory(
                screening__patient=patient,
                screening__taken_at=timezone.now() - timedelta(days=21 - 7 * week),
                episode=placeholder,
            )
            for muscle in muscles:
                TriggerPointSiteFactory(session=session, muscle=MuscleFactory(name=muscle))
        StrengtheningPlanFactory(patient=patient, episode=placeholder)
        patients[name] = (patient, placeholder)
    return patients


def test_existing_sessions_and_plans_go_into_one_episode_in_the_main_region(clinic):
    patients = saved_history(clinic)

    migration.sessions_into_episodes(apps, None)

    for name, (patient, placeholder) in patients.items():
        episode = EpisodeOfCare.objects.exclude(pk=placeholder.pk).get(patient=patient)
        first = patient.needling_sessions.earliest("started_at")
        assert episode.body_region == EXPECTED[name]
        assert episode.is_open
        assert episode.complaint == migration.MIGRATED_COMPLAINT
        assert episode.opened_on == timezone.localtime(first.started_at).date()
        assert {s.episode_id for s in patient.needling_sessions.all()} == {episode.pk}
        assert {p.episode_id for p in patient.strengthening_plans.all()} == {episode.pk}
