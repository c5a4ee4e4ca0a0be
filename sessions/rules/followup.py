"""The follow-up rules: time windows and escalation thresholds, defined once.

Querysets, services, forms, views, tests and the benchmark's data builder import them from here.
"""

from datetime import datetime, timedelta

# A follow-up recorded within this time either side of its due time is on time.
CHECK_WINDOW = timedelta(hours=12)


def is_overdue(due_at: datetime, now: datetime) -> bool:
    """A follow-up still waiting past its window is overdue (the worklist's red badge)."""
    return due_at < now - CHECK_WINDOW


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


# DOMAIN: pneumothorax symptoms can start 2 hours to 2 days after needling near the lungs, so the
# follow-ups of a session with a lung-risk site within this time ask about warning signs.
WARNING_SIGNS_WITHIN_HOURS = 48
WARNING_SIGNS_REQUIRED = (
    "Ask about new chest pain, breathlessness and dry cough: this patient had a lung-risk site "
    "needled."
)
SEEK_EMERGENCY_CARE = (
    "New chest pain, breathlessness or a dry cough after needling near the lungs can be a "
    "collapsed lung (pneumothorax): seek emergency care now. Call the emergency number or go to "
    "the nearest emergency department."
)
WARNING_SIGNS_LEGEND = "Warning signs (lung-risk site needled)"
# The worklist row's flag on a check that will ask the warning signs.
WARNING_SIGNS_ASKED = "Ask the warning signs: lung-risk site needled"


def warning_signs_description(*, symptoms: list[str], hours_after: int) -> str:
    """What a draft adverse event escalated from warning signs at a follow-up says."""
    return (
        f"Possible pneumothorax warning signs at the {hours_after} h follow-up after a lung-risk "
        f"site was needled: {', '.join(symptoms).lower()}. Tell the patient to seek emergency "
        "care now; confirm the event once the outcome is known."
    )
