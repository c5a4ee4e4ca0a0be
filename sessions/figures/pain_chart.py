"""The patient's pain chart: NPRS before and after each session and soreness at follow-ups,
with the MCID target, as coordinates for a server-rendered SVG.

The target line is the highest pre-treatment score that reaches the MCID from the first visit's
pain before needling (`sessions.rules.mcid`, by the clinic's rule); the "after" markers show each
session's immediate effect, which is not measured against the MCID."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from clinic.accounts.models import McidRule
from clinic.formats import shown

from ..rules.mcid import mcid_target

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 32, 16, 36
NPRS_MAX = 10
# The markers (x, y, title): the page prints them as they are, a long course has hundreds.
BEFORE_MARKER = '<circle cx="{}" cy="{}" r="4" fill="#212529"><title>{}</title></circle>'
AFTER_MARKER = (
    '<rect x="{}" y="{}" width="8" height="8" transform="translate(-4 -4)" fill="#0d6efd">'
    "<title>{}</title></rect>"
)
SORENESS_MARKER = '<path d="M {} {} m 0 -5 l 5 9 h -10 z" fill="#fd7e14"><title>{}</title></path>'


@dataclass(frozen=True)
class Point:
    """A marker, placed and labelled here so the template only prints (a long course has
    hundreds of markers)."""

    x: float
    y: float
    value: int
    when: datetime
    title: str = ""


@dataclass(frozen=True)
class PainChart:
    before: list[Point]
    after: list[Point]
    soreness: list[Point]
    mcid_target: int | None
    mcid_y: float | None
    mcid_rule_label: str
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM

    @staticmethod
    def polyline(points: Sequence[Point]) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)

    @property
    def before_line(self) -> str:
        return self.polyline(self.before)

    @property
    def after_line(self) -> str:
        return self.polyline(self.after)

    @staticmethod
    def markers(markup: str, points: Sequence[Point]) -> str:
        return mark_safe("".join(markup.format(p.x, p.y, escape(p.title)) for p in points))

    @property
    def before_markers(self) -> str:
        return self.markers(BEFORE_MARKER, self.before)

    @property
    def after_markers(self) -> str:
        return self.markers(AFTER_MARKER, self.after)

    @property
    def soreness_markers(self) -> str:
        return self.markers(SORENESS_MARKER, self.soreness)


def pain_chart(
    *,
    sessions: Sequence[tuple[datetime, int, int | None]],
    followups: Sequence[tuple[datetime, int]] = (),
    mcid_rule: str = McidRule.POINTS_OR_PERCENT,
) -> PainChart | None:
    """`sessions`: (started_at, pain before, pain after) oldest first; `followups`: (done at,
    soreness). None when there is nothing to draw."""
    if not sessions:
        return None
    times = [s[0] for s in sessions] + [f[0] for f in followups]
    start, end = min(times), max(times)
    span = max(end - start, timedelta(days=1))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def x(when: datetime) -> float:
        return LEFT + plot_width * ((when - start) / span)

    def y(value: float) -> float:
        return TOP + plot_height * (1 - value / NPRS_MAX)

    target = mcid_target(baseline=sessions[0][1], rule=mcid_rule)
    ticks = sorted(
        {(round(x(s[0]), 1), shown(timezone.localdate(s[0]), "MONTH_DAY_FORMAT")) for s in sessions}
    )
    return PainChart(
        before=[point(x(when), y(before), before, when, "before") for when, before, _ in sessions],
        after=[
            point(x(when), y(after), after, when, "after")
            for when, _, after in sessions
            if after is not None
        ],
        soreness=[
            point(x(when), y(value), value, when, "soreness at follow-up")
            for when, value in followups
        ],
        mcid_target=target,
        mcid_y=None if target is None else round(y(target), 1),
        mcid_rule_label=McidRule(mcid_rule).label,
        x_ticks=_thin(ticks),
        y_ticks=[(round(y(value), 1), value) for value in range(0, NPRS_MAX + 1, 2)],
    )


def point(x: float, y: float, value: int, when: datetime, what: str) -> Point:
    day = shown(timezone.localdate(when))
    return Point(round(x, 1), round(y, 1), value, when, f"{day}: {what} {value}/10")


def _thin(ticks: list[tuple[float, str]], min_gap: float = 48) -> list[tuple[float, str]]:
    """Drop date labels that would overlap the previous one."""
    kept: list[tuple[float, str]] = []
    for tick in ticks:
        if not kept or tick[0] - kept[-1][0] >= min_gap:
            kept.append(tick)
    return kept


def patient_pain_chart(*, patient) -> PainChart | None:
    """The chart of the patient's signed sessions and recorded follow-ups (two queries)."""
    from ..models import CheckStatus, NeedlingSession, SorenessCheck

    sessions = (
        NeedlingSession.objects.filter(patient=patient)
        .signed()
        .order_by("started_at")
        .values_list("started_at", "pain_before", "pain_after")
    )
    followups = (
        SorenessCheck.objects.filter(session__patient=patient, status=CheckStatus.DONE)
        .order_by("done_at")
        .values_list("done_at", "soreness")
    )
    return pain_chart(
        sessions=list(sessions), followups=list(followups), mcid_rule=patient.clinic.mcid_rule
    )
