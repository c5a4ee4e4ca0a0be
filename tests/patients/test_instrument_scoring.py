"""Each instrument's score, computed from its items on hand-worked cases, with its missing-item
rule and the minimal important difference at the boundary."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clinic.accounts.models import McidRule
from patients.instruments import INSTRUMENTS, Instrument, mid_reached, mid_target
from patients.services.scoring import (
    ALL_MISSING,
    ITEM_OUT_OF_RANGE,
    TOO_MANY_MISSING,
    WRONG_ITEM_COUNT,
    instrument_score,
)


def score(code, responses) -> Decimal:
    return instrument_score(instrument=code, responses=responses)


def messages_of(error: ValidationError) -> list[str]:
    return error.value.messages


def test_nprs_is_the_rating():
    assert score(Instrument.NPRS, [7]) == Decimal("7.00")


def test_psfs_is_the_mean_of_the_activities_rated():
    # (3 + 5 + 6) / 3 = 4.666... -> 4.67
    assert score(Instrument.PSFS, [3, 5, 6, None, None]) == Decimal("4.67")


def test_psfs_rating_of_11_is_refused_with_the_activity_named():
    with pytest.raises(ValidationError) as error:
        score(Instrument.PSFS, [11, 5, None, None, None])
    assert messages_of(error) == [
        ITEM_OUT_OF_RANGE.format(item="Activity 1", value=11, low=0, high=10)
    ]


def test_psfs_needs_at_least_one_activity():
    with pytest.raises(ValidationError) as error:
        score(Instrument.PSFS, [None] * 5)
    assert messages_of(error) == [ALL_MISSING.format(instrument=INSTRUMENTS[Instrument.PSFS].name)]


def test_ndi_is_a_percentage_of_the_maximum():
    # 2+3+1+0+4+2+3+1+2+2 = 20 of 50 -> 40 %
    assert score(Instrument.NDI, [2, 3, 1, 0, 4, 2, 3, 1, 2, 2]) == Decimal("40.00")


def test_ndi_with_one_blank_section_scores_the_sections_answered():
    # The index's scoring instructions: one section missed -> the sum over 45.
    # 17 of 45 -> 37.777... -> 37.78
    assert score(Instrument.NDI, [2, 3, 1, 0, 4, 2, 3, 1, 1, None]) == Decimal("37.78")


def test_ndi_with_two_blank_sections_has_no_score():
    spec = INSTRUMENTS[Instrument.NDI]
    with pytest.raises(ValidationError) as error:
        score(Instrument.NDI, [2, 3, 1, 0, 4, 2, 3, 1, None, None])
    assert messages_of(error) == [
        TOO_MANY_MISSING.format(instrument=spec.name, missing=2, allowed=1)
    ]


def test_odi_allows_one_blank_section_only():
    # 1+2+3+4+5+0+1+2+3 = 21 of 45 -> 46.666... -> 46.67
    assert score(Instrument.ODI, [1, 2, 3, 4, 5, 0, 1, 2, 3, None]) == Decimal("46.67")
    assert score(Instrument.ODI, [1, 2, 3, 4, 5, 0, 1, 2, 3, 4]) == Decimal("50.00")
    with pytest.raises(ValidationError):
        score(Instrument.ODI, [1, 2, 3, 4, 5, 0, 1, 2, None, None])


def test_quickdash_is_the_mean_less_one_times_25():
    # all 1 -> 0; all 5 -> 100; eleven items summing 33 -> (3 - 1) * 25 = 50
    assert score(Instrument.QUICKDASH, [1] * 11) == Decimal("0.00")
    assert score(Instrument.QUICKDASH, [5] * 11) == Decimal("100.00")
    assert score(Instrument.QUICKDASH, [3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 4]) == Decimal("50.00")
    # ten answered, sum 25 -> (2.5 - 1) * 25 = 37.5
    assert score(Instrument.QUICKDASH, [2, 3, 2, 3, 2, 3, 2, 3, 2, 3, None]) == Decimal("37.50")


def test_quickdash_with_two_blank_items_has_no_score():
    with pytest.raises(ValidationError):
        score(Instrument.QUICKDASH, [3] * 9 + [None, None])


def test_quickdash_item_of_0_is_outside_its_1_to_5_range():
    with pytest.raises(ValidationError) as error:
        score(Instrument.QUICKDASH, [0] + [3] * 10)
    assert messages_of(error) == [ITEM_OUT_OF_RANGE.format(item="Item 1", value=0, low=1, high=5)]


def test_lefs_is_the_sum_and_needs_every_item():
    assert score(Instrument.LEFS, [4] * 20) == Decimal("80.00")
    assert score(Instrument.LEFS, [2] * 10 + [3] * 10) == Decimal("50.00")
    with pytest.raises(ValidationError):
        score(Instrument.LEFS, [4] * 19 + [None])


def test_groc_runs_from_minus_7_to_plus_7():
    assert score(Instrument.GROC, [-3]) == Decimal("-3.00")
    with pytest.raises(ValidationError):
        score(Instrument.GROC, [8])


def test_a_wrong_number_of_items_is_refused():
    with pytest.raises(ValidationError) as error:
        score(Instrument.NDI, [1] * 9)
    assert messages_of(error) == [
        WRONG_ITEM_COUNT.format(instrument=INSTRUMENTS[Instrument.NDI].name, expected=10, given=9)
    ]


@pytest.mark.parametrize(
    ("code", "baseline", "at_mid", "short_of_mid"),
    [
        # Lower is better: a fall of exactly the MID reaches it; 0.01 less does not.
        (Instrument.NDI, "40", "26", "26.01"),
        (Instrument.ODI, "50", "38", "38.01"),
        (Instrument.QUICKDASH, "45.45", "37.45", "37.46"),
        # Higher is better.
        (Instrument.LEFS, "30", "39", "38"),
        (Instrument.PSFS, "3", "4.3", "4.29"),
    ],
)
def test_mid_reached_at_the_boundary(code, baseline, at_mid, short_of_mid):
    spec = INSTRUMENTS[code]
    assert mid_reached(spec, Decimal(baseline), Decimal(at_mid)) is True
    assert mid_reached(spec, Decimal(baseline), Decimal(short_of_mid)) is False
    assert mid_target(spec, Decimal(baseline)) == Decimal(at_mid)


def test_groc_reaches_its_mid_by_the_rating_itself():
    spec = INSTRUMENTS[Instrument.GROC]
    assert mid_reached(spec, None, spec.mid) is True
    assert mid_reached(spec, None, spec.mid - 1) is False


def test_nprs_follows_the_clinics_mcid_rule():
    spec = INSTRUMENTS[Instrument.NPRS]
    points = McidRule.POINTS_OR_PERCENT
    # A 2-point fall reaches it; from 3, a 1-point fall is 33 % and reaches it too.
    assert mid_reached(spec, Decimal(7), Decimal(5), pain_rule=points) is True
    assert mid_reached(spec, Decimal(7), Decimal(6), pain_rule=points) is False
    assert mid_reached(spec, Decimal(3), Decimal(2), pain_rule=points) is True
    # By baseline: from 8, a 2-point fall is short of the 3 points needed.
    by_baseline = McidRule.BY_BASELINE
    assert mid_reached(spec, Decimal(8), Decimal(6), pain_rule=by_baseline) is False
    assert mid_reached(spec, Decimal(8), Decimal(5), pain_rule=by_baseline) is True


def test_every_instrument_names_its_sources():
    for spec in INSTRUMENTS.values():
        assert spec.scoring_source
        assert spec.mid_source
        assert spec.wording_shown or not any(spec.items)
