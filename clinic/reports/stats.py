"""Pure maths for the reports: confidence intervals (no database)."""

from dataclasses import dataclass
from math import sqrt
from statistics import fmean, stdev

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


# Two-sided 95% quantiles of Student's t by degrees of freedom 1-30; Z_95 beyond.
T_95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


@dataclass(frozen=True)
class MeanInterval:
    """A mean with its 95% t interval (None with a single value)."""

    mean: float
    low: float | None
    high: float | None
    n: int


def mean_interval(values: list[float]) -> MeanInterval | None:
    """The mean of `values` with its 95% confidence interval from Student's t (the normal
    quantile beyond 30 degrees of freedom); None when there are no values."""
    n = len(values)
    if not n:
        return None
    mean = fmean(values)
    if n == 1:
        return MeanInterval(mean, None, None, 1)
    quantile = T_95[n - 2] if n - 1 <= len(T_95) else Z_95
    half = quantile * stdev(values) / sqrt(n)
    return MeanInterval(mean, mean - half, mean + half, n)
