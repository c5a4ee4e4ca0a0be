"""Published adverse-event rates to compare the clinic's own with (docs: DOMAIN.md).

The figures are approximate readings of the papers, so every label says "approx.".
"""

from dataclasses import dataclass

from sessions.models import AdverseEventType

BRADY_2014 = (
    "Brady et al. 2014",
    "Brady et al. 2014, J Man Manip Ther (~7,600 treatments by physiotherapists)",
)
BOYCE_2020 = ("Boyce et al. 2020", "Boyce et al. 2020, J Man Manip Ther (~20,000 treatments, USA)")

# Keys of the comparison rows that are not a single event type.
ANY_EVENT = "any"
MAJOR_EVENT = "major"


@dataclass(frozen=True)
class PublishedRate:
    key: str
    figure: str
    source: tuple[str, str]  # (short name, full citation)

    @property
    def short_source(self) -> str:
        return self.source[0]

    @property
    def citation(self) -> str:
        return self.source[1]

    @property
    def label(self) -> str:
        return f"{self.figure} (approx.)"


PUBLISHED_RATES: tuple[PublishedRate, ...] = (
    PublishedRate(AdverseEventType.BRUISING, "~8%", BRADY_2014),
    PublishedRate(AdverseEventType.BLEEDING, "~5%", BRADY_2014),
    PublishedRate(AdverseEventType.PAIN_DURING, "~4%", BRADY_2014),
    PublishedRate(AdverseEventType.PAIN_AFTER, "~3%", BRADY_2014),
    PublishedRate(ANY_EVENT, "under 1%", BOYCE_2020),
    PublishedRate(MAJOR_EVENT, "none in ~7,600", BRADY_2014),
    PublishedRate(MAJOR_EVENT, "very rare", BOYCE_2020),
)


def published_for(key: str) -> list[PublishedRate]:
    return [rate for rate in PUBLISHED_RATES if rate.key == key]
