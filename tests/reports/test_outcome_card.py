"""The outcomes report card on a built dataset: its figures computed here from the raw scores,
independently of the report's code."""

import csv
import io
from dataclasses import replace
from datetime import timedelta
from math import sqrt
from statistics import fmean, stdev

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.reports.selectors.outcome_card import ALL, card_rows, episode_results
from patients.instruments import INSTRUMENTS, Instrument, Timepoint
from patients.models import BodyRegion
from tests.builders import period
from tests.factories import EpisodeOfCareFactory, OutcomeAssessmentFactory, PatientFactory

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
    [row] = card_rows(episode_results(built), lambda r: ALL)
    check(row, [40, 20, 6, 40], scored=5)
    # By hand: mean 26.5, sd 16.60, t(3) 3.182 -> 26.5 +/- 26.42; 3 of 4 reach the MID.
    assert round(row.change.low, 1) == 0.1
    assert round(row.change.high, 1) == 52.9
    assert row.reached == 3


def test_card_per_region_and_therapist(built):
    results = episode_results(built)
    regions = {row.group: row for row in card_rows(results, lambda r: r.region)}
    check(regions[BodyRegion.LUMBAR.label], [40, 20, 6], scored=4)
    assert regions[BodyRegion.PELVIS_HIP.label].change.low is None
    therapists = {row.group: row for row in card_rows(results, lambda r: r.therapist)}
    check(therapists["Ann Able"], [40, 20, 40], scored=3)
    ben = therapists["Ben Baker"]
    assert (ben.scored, ben.complete, ben.without_discharge, ben.reached) == (2, 1, 1, 0)


def test_card_for_one_therapist(built, ben):
    results = episode_results(replace(built, therapist=ben))
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
