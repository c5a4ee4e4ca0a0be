"""The follow-up rules: time windows and escalation thresholds, defined once.

Querysets, services, forms, views, tests and the benchmark's data builder import them from here.
"""

from datetime import timedelta

# A follow-up recorded within this time either side of its due time is on time.
CHECK_WINDOW = timedelta(hours=12)
# A follow-up still not recorded this long after its due time is missed.
MISSED_AFTER = timedelta(hours=24)
# The worklist shows follow-ups due this long ago at most.
WORKLIST_LOOKBACK = timedelta(days=7)

# Soreness this strong after this many hours escalates to a draft adverse event.
ESCALATION_SORENESS = 4
ESCALATION_AFTER_HOURS = 24
PROLONGED_SORENESS = "Prolonged post-needling soreness"
ESCALATION_HOUSE_RULE = (
    f"House rule, not a published threshold: soreness still present at the last check, or "
    f"{ESCALATION_SORENESS}/10 or more at a check after the first {ESCALATION_AFTER_HOURS} h, "
    "escalates to a draft adverse event."
)


def escalation_description(*, soreness: int, hours_after: int) -> str:
    """What a draft adverse event escalated from a follow-up says."""
    return f"{PROLONGED_SORENESS}: {soreness}/10 at the {hours_after} h follow-up, not resolved."
