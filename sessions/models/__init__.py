from .adherence import AdherenceEntry, ExerciseLog
from .catalogue import CatalogueVersion, Muscle
from .dosage import LoadType, ProgressionRule
from .followup import (
    AdverseEvent,
    AdverseEventType,
    CheckStatus,
    ContactMethod,
    EventStatus,
    Severity,
    SorenessCheck,
    Timeliness,
)
from .plans import Exercise, PlanItem, PlanPairing, PlanStatus, StrengtheningPlan
from .session import (
    ConsentMethod,
    GateOutcome,
    NeedlingSession,
    SessionAddendum,
    SessionLockedError,
    SessionStatus,
    Technique,
    TriggerPointSite,
)

__all__ = [
    "AdherenceEntry",
    "CatalogueVersion",
    "Exercise",
    "ExerciseLog",
    "LoadType",
    "PlanItem",
    "PlanPairing",
    "PlanStatus",
    "ProgressionRule",
    "StrengtheningPlan",
    "AdverseEvent",
    "AdverseEventType",
    "CheckStatus",
    "ContactMethod",
    "EventStatus",
    "Severity",
    "SorenessCheck",
    "Timeliness",
    "ConsentMethod",
    "GateOutcome",
    "Muscle",
    "NeedlingSession",
    "SessionAddendum",
    "SessionLockedError",
    "SessionStatus",
    "Technique",
    "TriggerPointSite",
]
