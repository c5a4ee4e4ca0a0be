"""One instrument's scores over an episode of care, with the band from the baseline to the
minimal important difference (MID), as coordinates for a server-rendered SVG."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from clinic.formats import shown

from ..instruments import mid_target
from ..selectors import SELF_REPORTED, InstrumentOutcome, OutcomePoint

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 14, 34
MARKER = '<circle cx="{}" cy="{}" r="4" fill="#212529"><title>{}</title></circle>'
# A score the patient entered by link: a hollow marker, named in its title and the legend.
SELF_REPORT_MARKER = (
    '<circle cx="{}" cy="{}" r="5" fill="#fff" stroke="#212529" stroke-width="2"'
    " data-self-reported><title>{}</title></circle>"
)
Y_TICKS = 5


@dataclass(frozen=True)
class OutcomeChart:
    outcome: InstrumentOutcome
    line: str
    markers: str
    band_top: float | None
    band_height: float | None
    target: Decimal | None
    target_y: float | None
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM
    plot_width: int = WIDTH - LEFT - RIGHT


def outcome_chart(outcome: InstrumentOutcome) -> OutcomeChart:
    spec = outcome.spec
    days = [p.taken_on for p in outcome.points]
    start = min(days)
    span = max((max(days) - start).days, 1)
    low, high = float(spec.score_min), float(spec.score_max)

    def x(day: date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span, 1)

    def y(value: Decimal | float) -> float:
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - (float(value) - low) / (high - low)), 1)

    target = mid_target(spec, outcome.baseline, pain_rule=outcome.pain_rule)
    band_top = band_height = target_y = None
    if target is not None:
        target_y = y(target)
        edge = y(outcome.baseline) if outcome.baseline is not None else y(0)
        band_top, band_height = min(edge, target_y), abs(edge - target_y)
    markers = "".join(
        (SELF_REPORT_MARKER if p.self_reported else MARKER).format(
            x(p.taken_on), y(p.score), escape(_title(p))
        )
        for p in outcome.points
    )
    step = (high - low) / (Y_TICKS - 1)
    ticks = sorted({(x(day), date_format(day, "MONTH_DAY_FORMAT")) for day in days})
    return OutcomeChart(
        outcome=outcome,
        line=" ".join(f"{x(p.taken_on)},{y(p.score)}" for p in outcome.points),
        markers=mark_safe(markers),
        band_top=band_top,
        band_height=band_height,
        target=target,
        target_y=target_y,
        x_ticks=_thin(ticks),
        y_ticks=[(y(low + i * step), f"{low + i * step:g}") for i in range(Y_TICKS)],
    )


def _title(point: OutcomePoint) -> str:
    how = f", {SELF_REPORTED}" if point.self_reported else ""
    return f"{shown(point.taken_on)}: {point.score} ({point.timepoint}{how})"


def _thin(ticks: list[tuple[float, str]], min_gap: float = 48) -> list[tuple[float, str]]:
    kept: list[tuple[float, str]] = []
    for tick in ticks:
        if not kept or tick[0] - kept[-1][0] >= min_gap:
            kept.append(tick)
    return kept
