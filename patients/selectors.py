"""Reads of episodes of care: each instrument's scores over an episode, against its MID."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sessions.selectors import pre_treatment_pain

from .instruments import (
    INSTRUMENTS,
    Instrument,
    InstrumentSpec,
    Timepoint,
    improvement,
    mid_reached,
)
from .models import CollectionMethod, EpisodeOfCare, OutcomeAssessment

PRE_TREATMENT = "pre-treatment (session)"
# How a score the patient entered by link is marked in tables, charts and the discharge summary.
SELF_REPORTED = "self-reported"


@dataclass(frozen=True)
class OutcomePoint:
    taken_on: date
    score: Decimal
    timepoint: str  # a Timepoint value, or PRE_TREATMENT for a session's pain before needling
    # Entered by the patient through a link, not by staff.
    self_reported: bool = False


@dataclass(frozen=True)
class InstrumentOutcome:
    """One instrument's scores over an episode, oldest first."""

    spec: InstrumentSpec
    points: list[OutcomePoint]
    # The clinic's MCID rule, for pain.
    pain_rule: str

    @property
    def baseline(self) -> Decimal | None:
        """The first score (for pain: the episode's first pre-treatment score); none for an
        instrument that rates change itself."""
        return None if self.spec.rates_change else self.points[0].score

    @property
    def latest(self) -> Decimal:
        return self.points[-1].score

    @property
    def baseline_mark(self) -> str:
        """SELF_REPORTED when the patient entered the baseline by link, else nothing."""
        return SELF_REPORTED if self.baseline is not None and self.points[0].self_reported else ""

    @property
    def latest_mark(self) -> str:
        return SELF_REPORTED if self.points[-1].self_reported else ""

    @property
    def self_report_mark(self) -> str:
        """SELF_REPORTED when any of the scores is the patient's own, for a chart's legend."""
        return SELF_REPORTED if any(p.self_reported for p in self.points) else ""

    @property
    def discharge(self) -> Decimal | None:
        scores = [p.score for p in self.points if p.timepoint == Timepoint.DISCHARGE]
        return scores[-1] if scores else None

    @property
    def has_change(self) -> bool:
        return self.spec.rates_change or len(self.points) > 1

    @property
    def change(self) -> Decimal | None:
        """Latest minus baseline, in the instrument's units (GROC: the rating)."""
        if not self.has_change:
            return None
        return self.latest if self.spec.rates_change else self.latest - self.baseline

    @property
    def improvement(self) -> Decimal | None:
        if not self.has_change:
            return None
        return improvement(self.spec, self.baseline, self.latest)

    @property
    def mid_reached(self) -> bool | None:
        if not self.has_change:
            return None
        return mid_reached(self.spec, self.baseline, self.latest, pain_rule=self.pain_rule)


def instrument_outcomes(
    assessments: Iterable[OutcomeAssessment],
    pain: Sequence[tuple[date, int]] = (),
    *,
    pain_rule: str,
) -> list[InstrumentOutcome]:
    """Per instrument (catalogue order), the episode's scores; NPRS also takes the pain before
    needling recorded at each signed session, so its baseline is the first pre-treatment score.
    `assessments` must be in time order."""
    points: dict[str, list[OutcomePoint]] = {}
    for assessment in assessments:
        points.setdefault(assessment.instrument, []).append(
            OutcomePoint(
                assessment.taken_on,
                assessment.score,
                assessment.timepoint,
                self_reported=assessment.method == CollectionMethod.SELF_REPORT,
            )
        )
    if pain:
        session_points = [OutcomePoint(day, Decimal(score), PRE_TREATMENT) for day, score in pain]
        # A recorded NPRS and a session's score on one day: the recorded score comes first at
        # intake and last at discharge, as collected around the needling.
        merged = sorted(
            points.get(Instrument.NPRS, []) + session_points,
            key=lambda p: (p.taken_on, _order_within_day(p.timepoint)),
        )
        points[Instrument.NPRS] = merged
    return [
        InstrumentOutcome(spec=spec, points=points[code], pain_rule=pain_rule)
        for code, spec in INSTRUMENTS.items()
        if points.get(code)
    ]


def _order_within_day(timepoint: str) -> int:
    return {Timepoint.INTAKE: 0, PRE_TREATMENT: 1, Timepoint.REASSESSMENT: 2}.get(timepoint, 3)


def episode_outcomes(*, episode: EpisodeOfCare) -> list[InstrumentOutcome]:
    """The episode's outcomes per instrument (two queries)."""
    assessments = OutcomeAssessment.objects.filter(episode=episode).in_order()
    pain = pre_treatment_pain(episode_ids=[episode.pk]).get(episode.pk, [])
    return instrument_outcomes(assessments, pain, pain_rule=episode.clinic.mcid_rule)


@dataclass(frozen=True)
class Reassessment:
    due: bool
    visits_since: int
    days_since: int


def reassessment_due(
    *,
    episode: EpisodeOfCare,
    last_assessed: date | None,
    session_days: Sequence[date],
    today: date,
    every_visits: int,
    every_days: int,
) -> Reassessment:
    """Outcome measures are due again after the clinic's number of visits or days since the
    last score (or intake), whichever comes first; never for a discharged episode."""
    since = last_assessed or episode.opened_on
    visits = sum(1 for day in session_days if day > since)
    days = (today - since).days
    due = episode.is_open and (visits >= every_visits or days >= every_days)
    return Reassessment(due=due, visits_since=visits, days_since=days)


def outcomes_by_episode(
    episodes: Sequence[EpisodeOfCare],
    pain: Mapping[int, Sequence[tuple[date, int]]],
    *,
    pain_rule: str,
) -> dict[int, list[InstrumentOutcome]]:
    """Each episode's outcomes, from one query of all their scores."""
    assessments: dict[int, list] = {}
    scores = (
        OutcomeAssessment.objects.filter(episode_id__in=[episode.pk for episode in episodes])
        .in_order()
        # Rows, not model instances: the report card reads thousands.
        .values_list(
            "episode_id", "instrument", "timepoint", "taken_on", "score", "method", named=True
        )
    )
    for assessment in scores:
        assessments.setdefault(assessment.episode_id, []).append(assessment)
    return {
        episode.pk: instrument_outcomes(
            assessments.get(episode.pk, []), pain.get(episode.pk, ()), pain_rule=pain_rule
        )
        for episode in episodes
    }
