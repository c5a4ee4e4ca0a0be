"""Who signed each needling note and who added each addendum, as Provenance of the session's
Procedure (an addendum's text is a note on that Procedure)."""

from collections.abc import Iterator

from sessions.models import NeedlingSession, SessionAddendum, SessionStatus

from .codes import (
    AUTHOR_SIGNATURE,
    PROVENANCE_ACTIVITY_SYSTEM,
    PROVENANCE_AGENT_SYSTEM,
    SIGNATURE_TYPE_SYSTEM,
)
from .common import Scope, coding, concept, instant, ref, stream
from .procedure import session_procedure_id

AUTHOR = ("author", "Author")
CREATE = ("CREATE", "create")
UPDATE = ("UPDATE", "revise")


def _author(user_id: int) -> dict:
    return {"type": concept(PROVENANCE_AGENT_SYSTEM, AUTHOR), "who": ref("Practitioner", user_id)}


def signature_resource(session: NeedlingSession) -> dict:
    signed = instant(session.signed_at)
    return {
        "resourceType": "Provenance",
        "id": f"session-signature-{session.pk}",
        "target": [ref("Procedure", session_procedure_id(session.pk))],
        "recorded": signed,
        "activity": concept(PROVENANCE_ACTIVITY_SYSTEM, CREATE),
        "agent": [_author(session.therapist_id)],
        "signature": [
            {
                "type": [coding(SIGNATURE_TYPE_SYSTEM, AUTHOR_SIGNATURE)],
                "when": signed,
                "who": ref("Practitioner", session.therapist_id),
            }
        ],
    }


def addendum_resource(addendum: SessionAddendum) -> dict:
    return {
        "resourceType": "Provenance",
        "id": f"addendum-{addendum.pk}",
        "target": [ref("Procedure", session_procedure_id(addendum.session_id))],
        "recorded": instant(addendum.created_at),
        "activity": concept(PROVENANCE_ACTIVITY_SYSTEM, UPDATE),
        "reason": [{"text": addendum.reason}],
        "agent": [_author(addendum.author_id)],
    }


def provenances(scope: Scope) -> Iterator[dict]:
    signed = scope.rows(NeedlingSession.objects.filter(status=SessionStatus.SIGNED))
    for session in stream(signed.order_by("pk")):
        yield signature_resource(session)
    addenda = scope.rows(SessionAddendum.objects.all(), "session__patient")
    for addendum in stream(addenda.order_by("pk")):
        yield addendum_resource(addendum)
