"""The pure maths behind the reports, against values worked out by hand."""

import pytest

from clinic.reports.charts import axis_top
from clinic.reports.stats import Proportion, wilson_interval


def test_wilson_interval_of_one_in_ten_matches_the_hand_computed_value():
    # p = 0.1, z^2 = 3.8416: centre 0.29208 / 1.38416 = 0.211016,
    # margin 1.96 * sqrt(0.009 + 0.009604) / 1.38416 = 1.96 * 0.1363965 / 1.38416 = 0.193140.
    low, high = wilson_interval(1, 10)

    assert low == pytest.approx(0.017876, abs=1e-5)
    assert high == pytest.approx(0.404156, abs=1e-5)


def test_wilson_interval_of_no_events_still_has_an_upper_bound():
    # centre = margin = 0.19208 / 1.38416 = 0.138770
    low, high = wilson_interval(0, 10)

    assert low == 0
    assert high == pytest.approx(0.277540, abs=1e-6)


def test_wilson_interval_of_every_trial_an_event_reaches_one():
    low, high = wilson_interval(10, 10)

    assert low == pytest.approx(1 - 0.277540, abs=1e-6)
    assert high == 1


def test_no_trials_gives_no_rate_rather_than_dividing_by_zero():
    assert wilson_interval(0, 0) is None
    assert Proportion(0, 0).per_100 is None
    assert Proportion(0, 0).interval_per_100 is None


def test_more_events_than_trials_is_refused():
    with pytest.raises(ValueError, match="between 0 and 3"):
        wilson_interval(4, 3)


def test_proportion_is_per_100_sessions():
    proportion = Proportion(1, 10)

    assert proportion.per_100 == pytest.approx(10.0)
    assert proportion.interval_per_100 == pytest.approx((1.7876, 40.4156), abs=1e-3)


@pytest.mark.parametrize(
    ("largest", "top"),
    [(0, 1), (0.35, 0.4), (0.7, 1), (3, 4), (19, 20), (28.9, 40), (56, 100), (100, 100)],
)
def test_chart_axis_ends_on_a_round_number(largest, top):
    assert axis_top(largest) == pytest.approx(top)
