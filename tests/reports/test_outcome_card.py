"""The outcomes report card on a built dataset: its figures computed here from the raw scores,
independently of the report's code."""

import csv
import io
from dataclasses import replace
from datetime import datetime, time, timedelta
from math import sqrt
from statistics import fmean, stdev

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.reports.selectors.outcome_card import ALL, card_rows, episode_results
from clinic.reports.tables.outcome_card import COURSE_COLUMNS, outcome_card_report
from patients.instruments import INSTRUMENTS, Instrument, Timepoint
from patients.models import BodyRegion
from tests.builders import period
from tests.factories import (
    EpisodeOfCareFactory,
    NeedlingSessionFactory,
    OutcomeAssessmentFactory,
    PatientFactory,
    ScreeningFactory,
)

pytestmark = pytest.mark.django_db

# ODI item responses and the score they make (sum of ten 0-5 items as a % of 50).
ODI_60 = [3] * 10
ODI_20 = [1] * 10
ODI_40 = [2] * 10
ODI_54 = [3] * 7 + [2] * 3
# (region, therapist, discharge responses or None): every episode starts at 60 %.
EPISODES = [
    (BodyRegion.LUMBAR, "ann", ODI_20),  # 60 -> 20: 40 better
    (BodyRegion.LUMBAR, "ann", ODI_40),  # 60 -> 40: 20 better
    (BodyRegion.LUMBAR, "ben", ODI_54),  # 60 -> 54: 6 better, short of the 12-point MID
    (BodyRegion.LUMBAR, "ben", None),  # no discharge score
    (BodyRegion.PELVIS_HIP, "ann", ODI_20),  # 60 -> 20: 40 better
]
# Two-sided 95% Student t quantiles (from a t table) by degrees of freedom.
T_TABLE = {1: 12.706, 2: 4.303, 3: 3.182}


def expected_mean_ci(changes):
    mean = fmean(changes)
    half = T_TABLE[len(changes) - 1] * stdev(changes) / sqrt(len(changes))
    return mean, mean - half, mean + half


def expected_wilson(k, n, z=1.96):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    margin = z / (1 + z * z / n) * sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - margin, centre + margin


@pytest.fixture
def built(clinic, ann, ben):
    therapists = {"ann": ann, "ben": ben}
    opened = timezone.localdate() - timedelta(days=30)
    for region, who, discharge in EPISODES:
        episode = EpisodeOfCareFactory(
            patient=PatientFactory(clinic=clinic, episode=False),
            therapist=therapists[who],
            body_region=region,
            opened_on=opened,
        )
        OutcomeAssessmentFactory(
            episode=episode, instrument=Instrument.ODI, responses=ODI_60, taken_on=opened
        )
        if discharge:
            OutcomeAssessmentFactory(
                episode=episode,
                instrument=Instrument.ODI,
                timepoint=Timepoint.DISCHARGE,
                responses=discharge,
                taken_on=opened + timedelta(days=28),
            )
    return period(clinic, opened - timedelta(days=1), timezone.localdate())


def check(row, changes, scored):
    mid = INSTRUMENTS[Instrument.ODI].mid
    assert row.scored == scored
    assert row.complete == len(changes)
    assert row.without_discharge == scored - len(changes)
    assert row.reached == sum(1 for c in changes if c >= mid)
    mean, low, high = expected_mean_ci(changes)
    assert row.change.mean == pytest.approx(mean)
    assert (row.change.low, row.change.high) == (pytest.approx(low), pytest.approx(high))
    low, high = expected_wilson(row.reached, row.complete)
    interval = row.reached_share.interval_per_100
    assert interval == (pytest.approx(100 * low), pytest.approx(100 * high))


def test_card_per_instrument(built):
    [row] = card_rows(episode_results(built)[0], lambda r: ALL)
    check(row, [40, 20, 6, 40], scored=5)
    # By hand: mean 26.5, sd 16.60, t(3) 3.182 -> 26.5 +/- 26.42; 3 of 4 reach the MID.
    assert round(row.change.low, 1) == 0.1
    assert round(row.change.high, 1) == 52.9
    assert row.reached == 3


def test_card_per_region_and_therapist(built):
    results, _ = episode_results(built)
    regions = {row.group: row for row in card_rows(results, lambda r: r.region)}
    check(regions[BodyRegion.LUMBAR.label], [40, 20, 6], scored=4)
    assert regions[BodyRegion.PELVIS_HIP.label].change.low is None
    therapists = {row.group: row for row in card_rows(results, lambda r: r.therapist)}
    check(therapists["Ann Able"], [40, 20, 40], scored=3)
    ben = therapists["Ben Baker"]
    assert (ben.scored, ben.complete, ben.without_discharge, ben.reached) == (2, 1, 1, 0)


def test_card_for_one_therapist(built, ben):
    results, _ = episode_results(replace(built, therapist=ben))
    [row] = card_rows(results, lambda r: ALL)
    assert (row.scored, row.complete) == (2, 1)


def test_card_page_and_csv_export_show_episodes_without_a_discharge_score(admin_client_, built):
    query = {"start": built.start.isoformat(), "end": built.end.isoformat()}
    url = reverse("reports:outcome_card")
    page = admin_client_.get(url, query)
    assert page.status_code == 200
    assert "Without a discharge score" in page.content.decode()
    response = admin_client_.get(url, {**query, "export": "by_region"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, *body = rows
    lumbar = dict(
        zip(header, next(r for r in body if r[1] == BodyRegion.LUMBAR.label), strict=True)
    )
    assert lumbar["Episodes scored"] == "4"
    assert lumbar["Without a discharge score"] == "1"
    assert lumbar["Reached the MID"] == "2"


# Each episode's pain before needling at its signed sessions, oldest first, and an NPRS taken at
# intake (None: none taken). The baseline is the episode's first pre-treatment score.
PAIN_COURSES = [
    (BodyRegion.LUMBAR, None, [8, 6, 5]),  # 8 -> 5: -3, MCID
    (BodyRegion.LUMBAR, None, [4, 4]),  # 4 -> 4: 0
    (BodyRegion.LUMBAR, 7, [6]),  # intake NPRS 7 -> 6: -1 (14%), short of the MCID
    (BodyRegion.PELVIS_HIP, None, [5]),  # a single score: no later score
    (BodyRegion.PELVIS_HIP, None, [0, 2]),  # baseline 0: the MCID does not apply
]


@pytest.fixture
def pain_built(clinic, ann):
    opened = timezone.localdate() - timedelta(days=30)
    for region, intake, visits in PAIN_COURSES:
        patient = PatientFactory(clinic=clinic, episode=False)
        episode = EpisodeOfCareFactory(
            patient=patient, therapist=ann, body_region=region, opened_on=opened
        )
        if intake is not None:
            OutcomeAssessmentFactory(
                episode=episode, instrument=Instrument.NPRS, responses=[intake], taken_on=opened
            )
        screening = ScreeningFactory(patient=patient, therapist=ann, taken_at=at_day(opened))
        for day, before in enumerate(visits, start=1):
            NeedlingSessionFactory(
                screening=screening,
                episode=episode,
                started_at=at_day(opened + timedelta(days=day)),
                pain_before=before,
                signed=True,
            )
    return period(clinic, opened - timedelta(days=1), timezone.localdate())


def at_day(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def test_pain_course_per_episode_from_its_first_pre_treatment_score(pain_built):
    table = outcome_card_report(pain_built).table("pain_course")
    rows = {row[0]: dict(zip(table.columns, row, strict=True)) for row in table.rows}

    # Computed here: every episode but the single-visit one has a later score.
    changes = [5 - 8, 4 - 4, 6 - 7, 2 - 0]
    mean, low, high = expected_mean_ci(changes)
    everyone = rows[ALL]
    assert everyone["Episodes with pain scored"] == 5
    assert everyone["With a later score"] == 4
    assert everyone[COURSE_COLUMNS[2]] == round(mean, 1)
    assert (everyone["Change 95% CI low"], everyone["Change 95% CI high"]) == (
        round(low, 1),
        round(high, 1),
    )
    # Applicable: a later score and a baseline above 0 (three); reached: 8 -> 5 only.
    assert everyone["Reached the MCID"] == 1
    assert everyone[COURSE_COLUMNS[6]] == round(100 / 3, 1)
    low, high = expected_wilson(1, 3)
    assert (everyone["Reached 95% CI low"], everyone["Reached 95% CI high"]) == (
        round(100 * low, 1),
        round(100 * high, 1),
    )
    hip = rows[BodyRegion.PELVIS_HIP.label]
    assert (hip["Episodes with pain scored"], hip["With a later score"]) == (2, 1)
    assert (hip["Reached the MCID"], hip[COURSE_COLUMNS[6]]) == (0, None)
