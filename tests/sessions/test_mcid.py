from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from clinic.accounts.models import McidRule
from sessions.figures.pain_chart import pain_chart
from sessions.rules.mcid import NPRS_MAX, mcid_reached, mcid_target

SCORES = range(NPRS_MAX + 1)


@pytest.mark.parametrize(
    ("baseline", "later", "reached"),
    [
        (0, 0, None),
        (10, 8, True),  # 2 points
        (10, 9, False),
        (5, 3, True),
        (3, 2, True),  # 1 point is 33% of 3
        (3, 3, False),
        (6, 5, False),  # 1 point is 17% of 6
        (7, 8, False),
    ],
)
def test_default_rule_two_points_or_thirty_percent_either_suffices(baseline, later, reached):
    assert mcid_reached(baseline=baseline, later=later, rule=McidRule.POINTS_OR_PERCENT) is reached


@pytest.mark.parametrize(
    ("baseline", "later", "reached"),
    [
        (0, 0, None),
        (1, 0, True),
        (4, 3, True),
        (5, 4, False),
        (7, 5, True),
        (8, 6, False),
        (10, 7, True),
    ],
)
def test_baseline_rule_one_two_or_three_points(baseline, later, reached):
    assert mcid_reached(baseline=baseline, later=later, rule=McidRule.BY_BASELINE) is reached


def test_target_is_the_highest_score_reaching_the_mcid():
    assert mcid_target(baseline=10, rule=McidRule.POINTS_OR_PERCENT) == 8
    assert mcid_target(baseline=3, rule=McidRule.POINTS_OR_PERCENT) == 2
    assert mcid_target(baseline=9, rule=McidRule.BY_BASELINE) == 6
    assert mcid_target(baseline=0, rule=McidRule.BY_BASELINE) is None


@pytest.mark.parametrize("rule", McidRule.values)
def test_pain_chart_target_agrees_with_the_rule_on_every_pair_of_scores(rule):
    first = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    for baseline, later in product(SCORES, SCORES):
        chart = pain_chart(
            sessions=[(first, baseline, 0), (first + timedelta(days=14), later, 0)], mcid_rule=rule
        )
        reached = mcid_reached(baseline=baseline, later=later, rule=rule)
        if reached is None:
            assert chart.mcid_target is None
        else:
            assert (later <= chart.mcid_target if chart.mcid_target is not None else False) is (
                reached
            ), (baseline, later)
