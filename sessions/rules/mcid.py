"""Pain outcome: the NPRS minimal clinically important difference (MCID), defined once.

The MCID compares pre-treatment pain across visits: the first visit's score before needling
against a later visit's score before needling (or the discharge score). The change within one
session, before against right after needling, is the *immediate effect*, never the MCID.

Two rules, chosen per clinic (`Clinic.mcid_rule`):
- at least 2 points or at least 30% of the baseline, either suffices (Childs 2005, Spine
  30:1331: MCID about 2 points; Farrar 2001: 30%);
- by baseline: at least 1 point for a baseline of 1-4, 2 for 5-7, 3 for 8-10 (a 1,232-patient
  cohort found the MCID depends on the baseline).
A baseline of 0 leaves nothing to improve: the MCID does not apply (None).

`mcid_reached` is the rule; the episode page, the pain chart and the outcomes report card all
call it.
"""

from clinic.accounts.models import McidRule

NPRS_MAX = 10
MCID_POINTS = 2
MCID_PERCENT = 30
# (lowest baseline, highest baseline, points needed)
MCID_BY_BASELINE = ((1, 4, 1), (5, 7, 2), (8, 10, 3))

MCID_TEXT = {
    McidRule.POINTS_OR_PERCENT: f"a fall of {MCID_POINTS} points or {MCID_PERCENT}% of the "
    "first visit's pain before needling, whichever is reached first",
    McidRule.BY_BASELINE: "a fall from the first visit's pain before needling of "
    + ", ".join(f"{points} (baseline {low}-{high})" for low, high, points in MCID_BY_BASELINE)
    + " points",
}


def mcid_reached(*, baseline: int, later: int, rule: str) -> bool | None:
    """Whether pain fell from `baseline` to `later` by a clinically important amount; None
    when the baseline is 0."""
    if baseline <= 0:
        return None
    reduction = baseline - later
    if rule == McidRule.BY_BASELINE:
        return any(
            low <= baseline <= high and reduction >= points
            for low, high, points in MCID_BY_BASELINE
        )
    return reduction >= MCID_POINTS or 100 * reduction >= MCID_PERCENT * baseline


def mcid_target(*, baseline: int, rule: str) -> int | None:
    """The highest later score that reaches the MCID from `baseline` (None for a baseline of 0,
    or when no score does)."""
    reaching = [
        later
        for later in range(NPRS_MAX + 1)
        if mcid_reached(baseline=baseline, later=later, rule=rule)
    ]
    return max(reaching) if reaching else None
