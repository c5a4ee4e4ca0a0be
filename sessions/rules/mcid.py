"""The NPRS minimal clinically important difference (MCID), defined once.

Today the code reads the rule two ways, kept here side by side until the clinical rule is
settled (DOMAIN.md, Outcomes):
- the outcomes report counts a change as reaching the MCID when the reduction is at least
  MCID_POINTS *or* at least MCID_PERCENT of the start (`reaches_mcid`, `mcid_reached` in SQL);
- the patient's pain chart draws its target at a reduction of MCID_POINTS or MCID_SHARE of the
  baseline, *whichever is larger* (`mcid_target`).
"""

from django.db.models import F, Q
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual

# DOMAIN: a 2-point or 30% reduction.
MCID_POINTS = 2
MCID_PERCENT = 30
# The pain chart's share of the baseline (MCID_PERCENT as a fraction).
MCID_SHARE = 0.3


def reaches_mcid(before: int, after: int) -> bool:
    """A pain reduction of at least MCID_POINTS, or of at least MCID_PERCENT of the start."""
    reduction = before - after
    return reduction >= MCID_POINTS or (reduction > 0 and 100 * reduction >= MCID_PERCENT * before)


def mcid_reached(before: str, after: str) -> Q:
    """SQL twin of `reaches_mcid` over two fields, in integers (no float or decimal rounding)."""
    reduction = F(before) - F(after)
    return GreaterThanOrEqual(reduction, MCID_POINTS) | (
        GreaterThan(reduction, 0) & GreaterThanOrEqual(reduction * 100, F(before) * MCID_PERCENT)
    )


def mcid_target(baseline: int) -> float:
    """The pain score at or below which the improvement from `baseline` is clinically important."""
    return baseline - max(MCID_POINTS, MCID_SHARE * baseline)
