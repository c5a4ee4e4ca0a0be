"""Outcome instruments as data, with their sources: items, scoring rule, score range, direction
and minimal important difference (MID). Defined once; the scoring service, the episode page, the
discharge summary and the outcomes report card read them from here.

Where a licence restricts copying the item wording (NDI, ODI, QuickDASH, LEFS), an item is shown
by its number only and the clinic uses its licensed paper or electronic form; NPRS, PSFS and GROC
are generic scales whose wording is shown in full.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from clinic.accounts.models import McidRule


class Instrument(models.TextChoices):
    NPRS = "nprs", "NPRS (pain, 0-10)"
    PSFS = "psfs", "PSFS (Patient-Specific Functional Scale)"
    NDI = "ndi", "NDI (Neck Disability Index)"
    ODI = "odi", "ODI (Oswestry Disability Index)"
    QUICKDASH = "quickdash", "QuickDASH"
    LEFS = "lefs", "LEFS (Lower Extremity Functional Scale)"
    GROC = "groc", "GROC (global rating of change)"


class Timepoint(models.TextChoices):
    INTAKE = "intake", "Intake"
    REASSESSMENT = "reassessment", "Re-assessment"
    DISCHARGE = "discharge", "Discharge"


@dataclass(frozen=True)
class InstrumentSpec:
    code: Instrument
    items: tuple[str, ...]  # item wording in full, or "" where the licence restricts it
    item_min: int
    item_max: int
    score_min: Decimal
    score_max: Decimal
    unit: str
    higher_is_better: bool
    max_missing: int
    scoring_rule: str
    scoring_source: str
    mid: Decimal
    mid_source: str
    wording_shown: bool
    # GROC rates change itself: it has no baseline, the rating is the change.
    rates_change: bool = False
    # PSFS: the patient names each activity; items are the activities they chose.
    patient_named_items: bool = False

    @property
    def name(self) -> str:
        return self.code.label

    @property
    def item_count(self) -> int:
        return len(self.items)

    def item_label(self, number: int) -> str:
        text = self.items[number - 1]
        prefix = "Activity" if self.patient_named_items else "Item"
        return f"{prefix} {number}: {text}" if text else f"{prefix} {number}"


# Sources cited for more than one figure.
ABBOTT_2014 = "Abbott JH, Schmitt JS. J Orthop Sports Phys Ther 2014;44(8):560-4"
BINKLEY_1999 = "Binkley JM et al. Phys Ther 1999;79(4):371-83"


def _numbered(count: int) -> tuple[str, ...]:
    return ("",) * count


_SCALE_0_10 = "0 = unable to perform the activity, 10 = able to perform it at the level before"

INSTRUMENTS: dict[str, InstrumentSpec] = {
    spec.code: spec
    for spec in (
        InstrumentSpec(
            code=Instrument.NPRS,
            items=("Pain right now, from 0 (no pain) to 10 (worst pain imaginable).",),
            item_min=0,
            item_max=10,
            score_min=Decimal(0),
            score_max=Decimal(10),
            unit="points",
            higher_is_better=False,
            max_missing=0,
            scoring_rule="The rating itself.",
            scoring_source="Numeric pain rating scale, LOINC 72514-3.",
            mid=Decimal(2),
            mid_source=(
                "Childs JD et al. Spine 2005;30(11):1331-4 (2 points); the clinic's MCID rule "
                "decides, applied between pre-treatment scores of the episode."
            ),
            wording_shown=True,
        ),
        InstrumentSpec(
            code=Instrument.PSFS,
            items=(_SCALE_0_10,) * 5,
            item_min=0,
            item_max=10,
            score_min=Decimal(0),
            score_max=Decimal(10),
            unit="points",
            higher_is_better=True,
            max_missing=4,
            scoring_rule=(
                "The patient names up to five activities they find hard and rates each 0-10; "
                "the score is the mean of the activities rated (at least one)."
            ),
            scoring_source="Stratford P et al. Physiother Can 1995;47(4):258-63.",
            mid=Decimal("1.3"),
            mid_source=(
                f"{ABBOTT_2014}: 1.3 small, 2.3 medium, 2.7 large; the small change is used."
            ),
            wording_shown=True,
            patient_named_items=True,
        ),
        InstrumentSpec(
            code=Instrument.NDI,
            items=_numbered(10),
            item_min=0,
            item_max=5,
            score_min=Decimal(0),
            score_max=Decimal(100),
            unit="%",
            higher_is_better=False,
            max_missing=1,
            scoring_rule=(
                "Ten sections scored 0-5; the score is the sum as a percentage of the maximum "
                "for the sections answered. One section may be left blank (missed or not "
                "applicable: the sum over 45); more: no score."
            ),
            scoring_source=(
                "Vernon H, Mior S. J Manipulative Physiol Ther 1991;14(7):409-15; the scoring "
                "instructions printed with the index score one missed section only."
            ),
            mid=Decimal(14),
            mid_source=f"{ABBOTT_2014} (-14, small change).",
            wording_shown=False,
        ),
        InstrumentSpec(
            code=Instrument.ODI,
            items=_numbered(10),
            item_min=0,
            item_max=5,
            score_min=Decimal(0),
            score_max=Decimal(100),
            unit="%",
            higher_is_better=False,
            max_missing=1,
            scoring_rule=(
                "Ten sections scored 0-5; the score is the sum as a percentage of the maximum "
                "for the sections answered. One section may be left blank; more: no score."
            ),
            scoring_source="Fairbank JC, Pynsent PB. Spine 2000;25(22):2940-52 (version 2.1a).",
            mid=Decimal(12),
            mid_source=f"{ABBOTT_2014} (-12, small change).",
            wording_shown=False,
        ),
        InstrumentSpec(
            code=Instrument.QUICKDASH,
            items=_numbered(11),
            item_min=1,
            item_max=5,
            score_min=Decimal(0),
            score_max=Decimal(100),
            unit="points",
            higher_is_better=False,
            max_missing=1,
            scoring_rule=(
                "Eleven items scored 1-5; the score is (mean of the items answered - 1) x 25. "
                "At least ten items must be answered."
            ),
            scoring_source="Beaton DE et al. J Bone Joint Surg Am 2005;87(5):1038-46 (IWH).",
            mid=Decimal(8),
            mid_source="Mintken PE et al. J Shoulder Elbow Surg 2009;18(6):920-6.",
            wording_shown=False,
        ),
        InstrumentSpec(
            code=Instrument.LEFS,
            items=_numbered(20),
            item_min=0,
            item_max=4,
            score_min=Decimal(0),
            score_max=Decimal(80),
            unit="points",
            higher_is_better=True,
            max_missing=0,
            scoring_rule="Twenty items scored 0-4; the score is their sum. Every item answered.",
            scoring_source=f"{BINKLEY_1999}.",
            mid=Decimal(9),
            mid_source=(
                f"{BINKLEY_1999} (MCID 9 points); Abbott JH, Schmitt JS 2014 (9 small to 16 "
                "large change)."
            ),
            wording_shown=False,
        ),
        InstrumentSpec(
            code=Instrument.GROC,
            items=(
                "Since the start of this episode, how is the problem? From -7 (a very great "
                "deal worse) through 0 (about the same) to +7 (a very great deal better).",
            ),
            item_min=-7,
            item_max=7,
            score_min=Decimal(-7),
            score_max=Decimal(7),
            unit="points",
            higher_is_better=True,
            max_missing=0,
            scoring_rule="The rating itself; it rates change, so it has no baseline.",
            scoring_source="Jaeschke R et al. Control Clin Trials 1989;10(4):407-15.",
            mid=Decimal(3),
            mid_source=(
                "Kamper SJ et al. J Man Manip Ther 2009;17(3):163-70 (+3, 'somewhat better', "
                "taken as important improvement)."
            ),
            wording_shown=True,
            rates_change=True,
        ),
    )
}


def instrument(code: str) -> InstrumentSpec:
    return INSTRUMENTS[code]


def improvement(spec: InstrumentSpec, baseline: Decimal | None, latest: Decimal) -> Decimal:
    """The change from baseline to latest, positive when the patient is better."""
    if spec.rates_change:
        return latest
    change = latest - baseline
    return change if spec.higher_is_better else -change


def mid_reached(
    spec: InstrumentSpec,
    baseline: Decimal | None,
    latest: Decimal,
    *,
    pain_rule: str = McidRule.POINTS_OR_PERCENT,
) -> bool | None:
    """Whether the change is at least the MID (None when it cannot be judged). NPRS follows the
    clinic's MCID rule for pain (`pain_rule`, the clinic's `mcid_rule`)."""
    if spec.code == Instrument.NPRS:
        # Imported here: the sessions app reads the patients' models, which read this module.
        from sessions.selectors import mcid_reached

        return mcid_reached(baseline=int(baseline), later=int(latest), rule=pain_rule)
    if baseline is None and not spec.rates_change:
        return None
    return improvement(spec, baseline, latest) >= spec.mid


def mid_target(
    spec: InstrumentSpec, baseline: Decimal | None, *, pain_rule: str = McidRule.POINTS_OR_PERCENT
) -> Decimal | None:
    """The score at which the change from `baseline` reaches the MID (GROC: the rating itself);
    None when no score on the scale would."""
    if spec.rates_change:
        return spec.mid
    if spec.code == Instrument.NPRS:
        reaching = [
            Decimal(later)
            for later in range(int(spec.score_min), int(spec.score_max) + 1)
            if mid_reached(spec, baseline, Decimal(later), pain_rule=pain_rule)
        ]
        return max(reaching, default=None)
    target = baseline + spec.mid if spec.higher_is_better else baseline - spec.mid
    return target if spec.score_min <= target <= spec.score_max else None
