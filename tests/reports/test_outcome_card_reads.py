"""The outcomes report card reads its figures in a fixed number of queries, and the pain before
needling it starts from is dated by the clinic's day."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from clinic.reports.selectors.outcome_card import episode_results
from patients.instruments import Instrument, Timepoint
from patients.models import BodyRegion
from sessions.selectors import pre_treatment_pain
from tests.builders import period
from tests.factories import (
    EpisodeOfCareFactory,
    NeedlingSessionFactory,
    OutcomeAssessmentFactory,
    PatientFactory,
    ScreeningFactory,
)

pytestmark = pytest.mark.django_db

ODI_60 = [3] * 10
ODI_20 = [1] * 10


def add_episodes(clinic, therapist, count: int) -> None:
    """`count` episodes, each with two signed sessions, an intake and a discharge score."""
    opened = timezone.localdate() - timedelta(days=30)
    for _ in range(count):
        patient = PatientFactory(clinic=clinic, episode=False)
        episode = EpisodeOfCareFactory(
            patient=patient, therapist=therapist, body_region=BodyRegion.LUMBAR, opened_on=opened
        )
        for day in (1, 8):
            screening = ScreeningFactory(
                patient=patient,
                therapist=therapist,
                taken_at=timezone.now() - timedelta(days=30 - day),
            )
            NeedlingSessionFactory(screening=screening, episode=episode, signed=True)
        OutcomeAssessmentFactory(episode=episode, instrument=Instrument.ODI, responses=ODI_60)
        OutcomeAssessmentFactory(
            episode=episode,
            instrument=Instrument.ODI,
            timepoint=Timepoint.DISCHARGE,
            responses=ODI_20,
            taken_on=opened + timedelta(days=28),
        )


def test_card_reads_episodes_scores_and_pain_in_three_queries_whatever_their_number(
    clinic, therapist, django_assert_num_queries
):
    report_filter = period(clinic, timezone.localdate() - timedelta(days=60), timezone.localdate())
    add_episodes(clinic, therapist, 2)
    with django_assert_num_queries(3):
        few, _ = episode_results(report_filter)
    add_episodes(clinic, therapist, 6)
    with django_assert_num_queries(3):
        many, _ = episode_results(report_filter)
    # Per episode: ODI from intake to discharge (40 points better) and NPRS from the sessions.
    assert len(few) == 2 * 2
    assert len(many) == 8 * 2
    odi = [result for result in many if result.spec.code == Instrument.ODI]
    assert {(result.improvement, result.reached) for result in odi} == {(40, True)}


def test_pain_before_needling_is_dated_by_the_clinics_day(therapist):
    # 05:30 UTC on 2 March is still 1 March, 22:30, in Denver.
    started_at = datetime(2026, 3, 2, 5, 30, tzinfo=UTC)
    screening = ScreeningFactory(therapist=therapist, taken_at=started_at - timedelta(hours=1))
    session = NeedlingSessionFactory(screening=screening, signed=True, pain_before=7)
    with timezone.override("America/Denver"):
        pain = pre_treatment_pain(episode_ids=[session.episode_id])
    assert pain == {session.episode_id: [(date(2026, 3, 1), 7)]}
