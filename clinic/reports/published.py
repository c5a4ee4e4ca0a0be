"""Published adverse-event rates to compare the clinic's own with: each figure as the paper
gives it, with its denominator and citation. The one home of these figures; the safety report
quotes them from here and docs/clinical-sources.md lists them with their sources.

Severity scales differ: NeedlingTrack's mild is compared with Brady's "mild" and Boyce's
"minor"; moderate and major together with Brady's "significant" and Boyce's "major".
"""

from dataclasses import dataclass
from decimal import Decimal

from sessions.models import AdverseEventType


@dataclass(frozen=True)
class Source:
    short: str
    citation: str
    population: str
    denominator: int
    unit: str  # what the denominator counts: treatments, sessions


BRADY_2014 = Source(
    "Brady et al. 2014",
    "Brady S, McEvoy J, Dommerholt J, Doody C. Adverse events following trigger point dry "
    "needling: a prospective survey of chartered physiotherapists. J Man Manip Ther "
    "2014;22(3):134-140",
    "39 physiotherapists in Ireland",
    7629,
    "treatments",
)
BOYCE_2020 = Source(
    "Boyce et al. 2020",
    "Boyce D, Wempe H, Campbell C, et al. Adverse events associated with therapeutic dry "
    "needling. Int J Sports Phys Ther 2020;15(1):103-113",
    "420 physical therapists in the USA",
    20464,
    "sessions",
)

# Keys of the comparison rows that are not a single event type.
MILD_EVENT = "mild"
SERIOUS_EVENT = "moderate_or_major"
KEY_LABELS = {
    MILD_EVENT: "Mild (Brady: mild; Boyce: minor)",
    SERIOUS_EVENT: "Moderate or major (Brady: significant; Boyce: major)",
}
SEVERITY_MAPPING = (
    "Severity: NeedlingTrack's mild is compared with Brady's 'mild' and Boyce's 'minor'; "
    "moderate and major together with Brady's 'significant' and Boyce's 'major' (pneumothorax, "
    "excessive bleeding, prolonged aggravation)."
)


@dataclass(frozen=True)
class PublishedRate:
    key: str
    source: Source
    percent: Decimal | None
    events: int | None = None
    qualifier: str = ""  # how the paper states a figure that is not a plain percentage

    @property
    def short_source(self) -> str:
        return self.source.short

    @property
    def citation(self) -> str:
        return f"{self.source.citation}. {self.source.population}."

    @property
    def denominator(self) -> str:
        return f"{self.source.denominator:,} {self.source.unit}"

    @property
    def label(self) -> str:
        """The figure with its denominator, e.g. "19.18% (1,463 of 7,629 treatments)"."""
        figure = self.qualifier or f"{self.percent}%"
        if self.events is not None:
            return f"{figure} ({self.events:,} of {self.denominator})"
        return f"{figure} of {self.denominator}"


def _rate(key: str, source: Source, percent: str, events: int | None = None) -> PublishedRate:
    return PublishedRate(key, source, Decimal(percent), events)


PUBLISHED_RATES: tuple[PublishedRate, ...] = (
    _rate(MILD_EVENT, BRADY_2014, "19.18", 1463),
    _rate(AdverseEventType.BRUISING, BRADY_2014, "7.55"),
    _rate(AdverseEventType.BLEEDING, BRADY_2014, "4.65"),
    _rate(AdverseEventType.PAIN_DURING, BRADY_2014, "3.01"),
    _rate(AdverseEventType.PAIN_AFTER, BRADY_2014, "2.19"),
    _rate(AdverseEventType.AGGRAVATION, BRADY_2014, "0.88"),
    # Brady reports drowsiness (0.26%) and fatigue (0.04%) apart; NeedlingTrack records one type.
    _rate(AdverseEventType.DROWSINESS, BRADY_2014, "0.26"),
    _rate(AdverseEventType.HEADACHE, BRADY_2014, "0.14"),
    _rate(AdverseEventType.NAUSEA, BRADY_2014, "0.13"),
    PublishedRate(SERIOUS_EVENT, BRADY_2014, Decimal(0), 0, "none (upper bound of risk 0.04%)"),
    _rate(MILD_EVENT, BOYCE_2020, "36.7", 7531),
    _rate(AdverseEventType.BLEEDING, BOYCE_2020, "16"),
    _rate(AdverseEventType.BRUISING, BOYCE_2020, "7.7"),
    _rate(AdverseEventType.PAIN_DURING, BOYCE_2020, "5.9"),
    PublishedRate(SERIOUS_EVENT, BOYCE_2020, None, 20, "under 0.1%, about 1 per 1,024"),
)


def published_for(key: str) -> list[PublishedRate]:
    return [rate for rate in PUBLISHED_RATES if rate.key == key]
