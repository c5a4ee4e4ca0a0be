"""One scoring service per instrument: the score is computed from the item responses, never
typed. Each checks the responses against the instrument's item range and missing-item allowance
(patients.instruments) and raises ValidationError with a message a therapist can act on."""

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from ..instruments import INSTRUMENTS, Instrument, InstrumentSpec

Responses = Sequence[int | None]

WRONG_ITEM_COUNT = "{instrument} has {expected} items; {given} were given."
ITEM_OUT_OF_RANGE = "{item}: {value} is outside {low} to {high}."
ITEM_NOT_A_NUMBER = "{item}: answer with a whole number."
TOO_MANY_MISSING = (
    "{instrument}: {missing} item(s) left blank; at most {allowed} may be blank for a score."
)
ALL_MISSING = "{instrument}: no item answered, so there is no score."

TWO_PLACES = Decimal("0.01")


def _checked(spec: InstrumentSpec, responses: Responses) -> list[int]:
    """The answered items' values, after checking range and the missing-item allowance."""
    if len(responses) != spec.item_count:
        raise ValidationError(
            WRONG_ITEM_COUNT.format(
                instrument=spec.name, expected=spec.item_count, given=len(responses)
            )
        )
    errors = []
    for number, value in enumerate(responses, start=1):
        if value is None:
            continue
        item = spec.item_label(number).split(":")[0]
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(ITEM_NOT_A_NUMBER.format(item=item))
        elif not spec.item_min <= value <= spec.item_max:
            errors.append(
                ITEM_OUT_OF_RANGE.format(
                    item=item, value=value, low=spec.item_min, high=spec.item_max
                )
            )
    if errors:
        raise ValidationError(errors)
    answered = [value for value in responses if value is not None]
    missing = spec.item_count - len(answered)
    if not answered:
        raise ValidationError(ALL_MISSING.format(instrument=spec.name))
    if missing > spec.max_missing:
        raise ValidationError(
            TOO_MANY_MISSING.format(instrument=spec.name, missing=missing, allowed=spec.max_missing)
        )
    return answered


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _single(spec: InstrumentSpec) -> Callable[[Responses], Decimal]:
    def score(responses: Responses) -> Decimal:
        return _rounded(Decimal(_checked(spec, responses)[0]))

    return score


def score_psfs(responses: Responses) -> Decimal:
    answered = _checked(INSTRUMENTS[Instrument.PSFS], responses)
    return _rounded(Decimal(sum(answered)) / len(answered))


def _percent_of_answered(spec: InstrumentSpec) -> Callable[[Responses], Decimal]:
    def score(responses: Responses) -> Decimal:
        answered = _checked(spec, responses)
        return _rounded(Decimal(100 * sum(answered)) / (spec.item_max * len(answered)))

    return score


def score_quickdash(responses: Responses) -> Decimal:
    answered = _checked(INSTRUMENTS[Instrument.QUICKDASH], responses)
    return _rounded((Decimal(sum(answered)) / len(answered) - 1) * 25)


def score_lefs(responses: Responses) -> Decimal:
    return _rounded(Decimal(sum(_checked(INSTRUMENTS[Instrument.LEFS], responses))))


score_nprs = _single(INSTRUMENTS[Instrument.NPRS])
score_groc = _single(INSTRUMENTS[Instrument.GROC])
score_ndi = _percent_of_answered(INSTRUMENTS[Instrument.NDI])
score_odi = _percent_of_answered(INSTRUMENTS[Instrument.ODI])

SCORERS: dict[str, Callable[[Responses], Decimal]] = {
    Instrument.NPRS: score_nprs,
    Instrument.PSFS: score_psfs,
    Instrument.NDI: score_ndi,
    Instrument.ODI: score_odi,
    Instrument.QUICKDASH: score_quickdash,
    Instrument.LEFS: score_lefs,
    Instrument.GROC: score_groc,
}


def instrument_score(*, instrument: str, responses: Responses) -> Decimal:
    """The instrument's score from its item responses (None for a blank item)."""
    return SCORERS[instrument](list(responses))
