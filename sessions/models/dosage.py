"""Exercise dosage: sets, reps or hold, load, and the rules that progress them."""

from django.db import models
from django.db.models import Q

MAX_SETS = 20
MAX_REPS = 100
MAX_HOLD_SECONDS = 600
MAX_FREQUENCY_PER_WEEK = 14
MAX_PROGRESSION_STEP = 100
MAX_EASY_LOGS = 5
# DOMAIN: progress when the patient reports the set as easy (RPE <= 5) on two consecutive logs.
EASY_RPE_MAX = 5
DEFAULT_EASY_LOGS = 2

SETS_RANGE = f"Sets must be between 1 and {MAX_SETS}."
REPS_RANGE = f"Reps must be between 1 and {MAX_REPS}."
HOLD_RANGE = f"Hold must be between 1 and {MAX_HOLD_SECONDS} seconds."
REPS_OR_HOLD = "Give either reps or a hold time in seconds (exactly one of them)."
LOAD_NEGATIVE = "Load cannot be negative."
KG_NEEDS_VALUE = "A kg load needs its weight in kg."
VALUE_NEEDS_KG = "A weight in kg is only for a kg load: choose kg or clear the weight."
FREQUENCY_RANGE = f"Frequency must be between 1 and {MAX_FREQUENCY_PER_WEEK} times a week."
STEP_RANGE = f"The progression step must be between 1 and {MAX_PROGRESSION_STEP}."
EASY_LOGS_RANGE = f"Easy logs before progressing must be between 1 and {MAX_EASY_LOGS}."
ADD_LOAD_NEEDS_KG = "Adding load by a percentage needs a load in kg."
ADD_REPS_NEEDS_REPS = "Adding reps needs a dosage in reps."
ADD_HOLD_NEEDS_HOLD = "Adding hold time needs a dosage in hold seconds."
NEXT_BAND_NEEDS_BAND = "Moving up a band needs a band load."


def in_range(field: str, low: int, high: int) -> Q:
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


def optional_in_range(field: str, low: int, high: int) -> Q:
    return Q(**{f"{field}__isnull": True}) | in_range(field, low, high)


class LoadType(models.TextChoices):
    BODYWEIGHT = "bodyweight", "Bodyweight"
    KG = "kg", "Weight (kg)"
    BAND_LIGHT = "band_light", "Light band"
    BAND_MEDIUM = "band_medium", "Medium band"
    BAND_HEAVY = "band_heavy", "Heavy band"
    BAND_EXTRA_HEAVY = "band_extra_heavy", "Extra-heavy band"


# Lightest first: "move up a band" takes the next one.
BAND_LEVELS = [
    LoadType.BAND_LIGHT,
    LoadType.BAND_MEDIUM,
    LoadType.BAND_HEAVY,
    LoadType.BAND_EXTRA_HEAVY,
]


class ProgressionRule(models.TextChoices):
    ADD_LOAD_PERCENT = "add_load_percent", "Add load by a percentage"
    ADD_REPS = "add_reps", "Add reps"
    ADD_HOLD_SECONDS = "add_hold_seconds", "Add hold seconds"
    NEXT_BAND = "next_band", "Move up a band"
    NONE = "none", "No automatic progression"


def dosage_constraints(prefix: str = "") -> list[models.CheckConstraint]:
    """Sets, reps or hold, and load: shared by an exercise's default and a plan item."""
    sets, reps, hold = f"{prefix}sets", f"{prefix}reps", f"{prefix}hold_seconds"
    load_type, load_kg = f"{prefix}load_type", f"{prefix}load_kg"
    return [
        models.CheckConstraint(
            condition=in_range(sets, 1, MAX_SETS),
            name=f"%(app_label)s_%(class)s_{sets}_range",
            violation_error_message=SETS_RANGE,
        ),
        models.CheckConstraint(
            condition=optional_in_range(reps, 1, MAX_REPS),
            name=f"%(app_label)s_%(class)s_{reps}_range",
            violation_error_message=REPS_RANGE,
        ),
        models.CheckConstraint(
            condition=optional_in_range(hold, 1, MAX_HOLD_SECONDS),
            name=f"%(app_label)s_%(class)s_{hold}_range",
            violation_error_message=HOLD_RANGE,
        ),
        models.CheckConstraint(
            condition=Q(**{f"{reps}__isnull": False, f"{hold}__isnull": True})
            | Q(**{f"{reps}__isnull": True, f"{hold}__isnull": False}),
            name=f"%(app_label)s_%(class)s_{prefix}reps_or_hold",
            violation_error_message=REPS_OR_HOLD,
        ),
        models.CheckConstraint(
            condition=Q(**{f"{load_type}__in": LoadType.values}),
            name=f"%(app_label)s_%(class)s_{load_type}_valid",
            violation_error_message="Unknown load type.",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{load_kg}__isnull": True}) | Q(**{f"{load_kg}__gte": 0}),
            name=f"%(app_label)s_%(class)s_{load_kg}_not_negative",
            violation_error_message=LOAD_NEGATIVE,
        ),
        models.CheckConstraint(
            condition=~Q(**{load_type: LoadType.KG}) | Q(**{f"{load_kg}__isnull": False}),
            name=f"%(app_label)s_%(class)s_{prefix}kg_needs_value",
            violation_error_message=KG_NEEDS_VALUE,
        ),
        models.CheckConstraint(
            condition=Q(**{load_type: LoadType.KG}) | Q(**{f"{load_kg}__isnull": True}),
            name=f"%(app_label)s_%(class)s_{prefix}value_needs_kg",
            violation_error_message=VALUE_NEEDS_KG,
        ),
    ]
