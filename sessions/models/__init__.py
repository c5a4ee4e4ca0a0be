from .catalogue import Muscle
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
