"""The outcomes report card's figures: per instrument, and per body region and therapist, the
episodes of care with a baseline and a discharge score, their mean change and the share reaching
the instrument's MID, with 95% confidence intervals. Episodes scored but without a discharge
score are counted and shown, never dropped. Also each episode's pain course: the episode's first
pre-treatment NPRS to its latest, against the clinic's MCID rule."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from patients.instruments import (
    INSTRUMENTS,
    Instrument,
    InstrumentSpec,
    Timepoint,
    improvement,
    mid_reached,
)
from patients.models import BodyRegion, EpisodeOfCare
from patients.selectors import InstrumentOutcome, outcomes_by_episode
from sessions.selectors import pre_treatment_pain

from ..stats import MeanInterval, Proportion, mean_interval
from .base import ReportFilter

ALL = "All"


@dataclass(frozen=True)
class EpisodeResult:
    """One episode's result on one instrument."""

    spec: InstrumentSpec
    region: str
    therapist: str
    # The change to the discharge score, positive when better; None without a discharge score.
    improvement: Decimal | None
    reached: bool | None


@dataclass(frozen=True)
class PainCourse:
    """One episode's pain before needling, first score to latest (None with a single score)."""

    region: str
    baseline: Decimal
    latest: Decimal | None
    # By the clinic's MCID rule; None without a later score or with a baseline of 0.
    reached: bool | None

    @property
    def change(self) -> Decimal | None:
        return None if self.latest is None else self.latest - self.baseline


@dataclass(frozen=True)
class CourseRow:
    group: str
    episodes: int
    with_later: int
    applicable: int
    reached: int
    change: MeanInterval | None


@dataclass(frozen=True)
class CardRow:
    spec: InstrumentSpec
    group: str
    scored: int
    complete: int
    reached: int
    change: MeanInterval | None

    @property
    def without_discharge(self) -> int:
        return self.scored - self.complete

    @property
    def reached_share(self) -> Proportion:
        return Proportion(self.reached, self.complete)


def discharge_result(outcome: InstrumentOutcome) -> tuple[Decimal | None, bool | None]:
    """The change from the first score before discharge to the discharge score, and whether
    it reaches the MID; (None, None) without that pair."""
    spec = outcome.spec
    discharge = outcome.discharge
    if discharge is None:
        return None, None
    if spec.rates_change:
        return discharge, mid_reached(spec, None, discharge, pain_rule=outcome.pain_rule)
    before = [p.score for p in outcome.points if p.timepoint != Timepoint.DISCHARGE]
    if not before:
        return None, None
    reached = mid_reached(spec, before[0], discharge, pain_rule=outcome.pain_rule)
    return improvement(spec, before[0], discharge), reached


def episodes_in_period(report_filter: ReportFilter):
    """The clinic's episodes opened in the period (one therapist's, when asked)."""
    episodes = EpisodeOfCare.objects.for_clinic(report_filter.clinic).filter(
        opened_on__gte=report_filter.start, opened_on__lte=report_filter.end
    )
    if report_filter.therapist:
        episodes = episodes.filter(therapist=report_filter.therapist)
    # Only what the card shows: the figures read thousands of episodes.
    shown = ("body_region", "therapist__first_name", "therapist__last_name", "therapist__username")
    return episodes.select_related("therapist").only(*shown).order_by("pk")


def episode_results(report_filter: ReportFilter) -> tuple[list[EpisodeResult], list[PainCourse]]:
    """Each episode's result per instrument it was scored on, and its pain course (three
    queries)."""
    episodes = list(episodes_in_period(report_filter))
    pain = pre_treatment_pain(episode_ids=[e.pk for e in episodes])
    outcomes = outcomes_by_episode(episodes, pain, pain_rule=report_filter.clinic.mcid_rule)
    regions = dict(BodyRegion.choices)
    results, courses = [], []
    for episode in episodes:
        therapist = episode.therapist.get_full_name() or episode.therapist.username
        region = regions[episode.body_region]
        for outcome in outcomes[episode.pk]:
            change, reached = discharge_result(outcome)
            results.append(EpisodeResult(outcome.spec, region, therapist, change, reached))
            if outcome.spec.code == Instrument.NPRS:
                courses.append(pain_course(outcome, region))
    return results, courses


def pain_course(outcome: InstrumentOutcome, region: str) -> PainCourse:
    """The episode's pain from its first pre-treatment score (or intake NPRS) to its latest."""
    later = outcome.latest if outcome.has_change else None
    return PainCourse(region, outcome.baseline, later, outcome.mid_reached)


def course_rows(courses: list[PainCourse]) -> list[CourseRow]:
    """All episodes, then one row per body region (alphabetical)."""
    groups: dict[str, list[PainCourse]] = defaultdict(list)
    for course in courses:
        groups[course.region].append(course)
    rows = []
    for name, members in [(ALL, courses), *sorted(groups.items())]:
        later = [m for m in members if m.latest is not None]
        rows.append(
            CourseRow(
                group=name,
                episodes=len(members),
                with_later=len(later),
                applicable=sum(1 for m in later if m.reached is not None),
                reached=sum(1 for m in later if m.reached),
                change=mean_interval([float(m.change) for m in later]),
            )
        )
    return rows if courses else []


def card_rows(results: list[EpisodeResult], group: Callable[[EpisodeResult], str]) -> list[CardRow]:
    """One row per instrument (catalogue order) and group (alphabetical)."""
    grouped: dict[tuple[str, str], list[EpisodeResult]] = defaultdict(list)
    for result in results:
        grouped[result.spec.code, group(result)].append(result)
    order = list(INSTRUMENTS)
    rows = []
    for (code, name), members in sorted(
        grouped.items(), key=lambda i: (order.index(i[0][0]), i[0][1])
    ):
        complete = [m for m in members if m.improvement is not None]
        rows.append(
            CardRow(
                spec=INSTRUMENTS[code],
                group=name,
                scored=len(members),
                complete=len(complete),
                reached=sum(1 for m in complete if m.reached),
                change=mean_interval([float(m.improvement) for m in complete]),
            )
        )
    return rows
