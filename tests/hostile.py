"""Hostile values and checks shared by the hostile-input tests (`tests/test_hostile_input*.py`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from sessions.models import Muscle, NeedlingSession, SessionStatus
from tests.factories import NeedlingSessionFactory, TriggerPointSiteFactory

# Fixtures are built once per test; each example runs in `rolled_back()`.
FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
]
HOSTILE = [
    *MARKUP,
    "'; DROP TABLE patients_patient; --",
    "1' OR '1'='1",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\u200f\u05e9\u05dc\u05d5\u05dd",
    "\U0001f489 needle",
    "x" * 10_000,
    "",
    "   ",
    "-1",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "\u00b2",
    "\u0661",
]
BAD_DATES = [
    "0001-01-01",
    "1899-12-31",
    "9999-12-31",
    "2024-02-30",
    "1980-13-01",
    "31/12/1980",
    "not a date",
    "1980-01-01\x00",
]
BAD_DATETIMES = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2024-02-30T10:00",
    "2024-01-01T25:00",
    "2024-01-01T10:00\x00",
]
# A formset's management form counts: negative, huge, not numbers.
BAD_COUNTS = ["-1", "0", "1", "2", str(10**9), "abc", "", "1.5", "\x00"]

hostile = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))
dates = st.one_of(
    st.sampled_from(BAD_DATES),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    hostile,
)
datetimes = st.one_of(
    st.sampled_from(BAD_DATETIMES), dates.map(lambda day: f"{day}T10:00"), hostile
)
counts = st.one_of(st.sampled_from(BAD_COUNTS), hostile)


def field(valid) -> st.SearchStrategy:
    """Mostly hostile, sometimes valid, so hostile text also reaches the success path."""
    return st.one_of(st.just(valid), st.sampled_from(MARKUP), hostile)


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_escaped(html: str) -> None:
    for payload in MARKUP:
        assert payload not in html


def assert_handled(response) -> None:
    assert response.status_code < 500
    if response["Content-Type"].startswith("text/html"):
        assert_escaped(response.content.decode())


def spoiled(valid: dict, *, at_most: int = 3) -> st.SearchStrategy[dict]:
    """The valid values with a few made hostile, so many examples reach the write itself."""
    return st.sets(st.sampled_from(sorted(valid)), max_size=at_most).flatmap(
        lambda names: st.fixed_dictionaries(
            {
                name: field(value) if name in names else st.just(value)
                for name, value in valid.items()
            }
        )
    )


def with_management(prefix: str, rows: list[dict], management: dict) -> dict:
    """A formset's POST data: the management form, then each row's fields under its prefix."""
    data = {f"{prefix}-{name}": value for name, value in management.items()}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def management(*, total: int, initial: int = 0) -> st.SearchStrategy[dict]:
    """Management form counts: honest in about half the examples, else some hostile."""
    honest = {
        "TOTAL_FORMS": str(total),
        "INITIAL_FORMS": str(initial),
        "MIN_NUM_FORMS": "0",
        "MAX_NUM_FORMS": "1000",
    }
    return st.one_of(
        st.just(honest),
        st.fixed_dictionaries(
            {name: st.one_of(st.just(value), counts) for name, value in honest.items()}
        ),
    )


def session_with_site(screening, *, ago: timedelta, signed: bool) -> NeedlingSession:
    """A session relying on the screening, with one site; its notes are markup."""
    session = NeedlingSessionFactory(
        screening=screening, started_at=timezone.now() - ago, notes=MARKUP[1]
    )
    TriggerPointSiteFactory(
        session=session, muscle=Muscle.objects.get(name="Gluteus medius"), notes=MARKUP[2]
    )
    if signed:
        # Sites are added before signing: a signed session is locked.
        session.status = SessionStatus.SIGNED
        session.signed_at = session.started_at + timedelta(minutes=30)
        session.save()
    return session
