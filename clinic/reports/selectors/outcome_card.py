"""The outcomes report card's figures: per instrument, and per body region and therapist, the
episodes of care with a baseline and a discharge score, their mean change and the share reaching
the instrument's MID, with 95% confidence intervals. Episodes scored but without a discharge
score are counted and shown, never dropped."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from patients.instruments import INSTRUMENTS, InstrumentSpec, Timepoint, improvement, mid_reached
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


def episode_results(report_filter: ReportFilter) -> list[EpisodeResult]:
    """Each episode's result per instrument it was scored on (three queries)."""
    episodes = list(episodes_in_period(report_filter))
    pain = pre_treatment_pain(episode_ids=[e.pk for e in episodes])
    outcomes = outcomes_by_episode(episodes, pain, pain_rule=report_filter.clinic.mcid_rule)
    regions = dict(BodyRegion.choices)
    results = []
    for episode in episodes:
        therapist = episode.therapist.get_full_name() or episode.therapist.username
        for outcome in outcomes[episode.pk]:
            change, reached = discharge_result(outcome)
            results.append(
                EpisodeResult(
                    outcome.spec, regions[episode.body_region], therapist, change, reached
                )
            )
    return results


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
