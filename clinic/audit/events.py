"""Clinical events: the audit entries one action wrote, grouped under one correlation id.

A request is one thing a member of staff (or a patient through their link) did: record a
screening with its answers, sign a note, open a chart. `AuditEventMiddleware` gives each request
a fresh random id and auditlog stores it in every entry the request writes (its `cid`, through
AUDITLOG_CID_GETTER). Background jobs' services are one event per run (`@as_one_event`). An entry
written outside both (older entries, commands) has no id and is an event of its own. The id is
made here, never read from the request, so no client can merge its entries into another event.
"""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_event_id: ContextVar[str | None] = ContextVar("audit_event_id", default=None)


def current_event_id() -> str | None:
    """The correlation id auditlog stores on each entry (AUDITLOG_CID_GETTER)."""
    return _event_id.get()


@contextmanager
def audit_event() -> Iterator[str]:
    """Entries written inside this block are one event on the audit trail; inside an event
    already (a request running a job's service), they join it."""
    current = _event_id.get()
    if current is not None:
        yield current
        return
    token = _event_id.set(uuid.uuid4().hex)
    try:
        yield _event_id.get()
    finally:
        _event_id.reset(token)


def as_one_event(function: Callable[P, R]) -> Callable[P, R]:
    """A background job's service: each run is one event on the audit trail."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with audit_event():
            return function(*args, **kwargs)

    return run


class AuditEventMiddleware:
    """Each request is one event on the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_event():
            return self.get_response(request)
