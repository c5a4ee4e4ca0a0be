from .catalogue import Muscle
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
