"""Pure maths for the reports: confidence intervals (no database)."""

from dataclasses import dataclass
from math import sqrt

# 95% two-sided normal quantile.
Z_95 = 1.96


@dataclass(frozen=True)
class Proportion:
    """`events` of `trials` as a rate per 100 with its 95% Wilson score interval."""

    events: int
    trials: int

    @property
    def per_100(self) -> float | None:
        return 100 * self.events / self.trials if self.trials else None

    @property
    def interval_per_100(self) -> tuple[float, float] | None:
        interval = wilson_interval(self.events, self.trials)
        if interval is None:
            return None
        low, high = interval
        return 100 * low, 100 * high


def wilson_interval(events: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson score interval for a binomial proportion; None when there are no trials.

    Unlike the normal approximation it stays inside [0, 1] and is useful for rare events
    (0 events in 50 sessions still gives an upper bound).
    """
    if trials <= 0:
        return None
    if not 0 <= events <= trials:
        raise ValueError(f"events must be between 0 and {trials}, got {events}")
    p = events / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    margin = z * sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)
