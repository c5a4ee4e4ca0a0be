from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache

from clinic.lib.models import RateLimitCounter
from clinic.lib.ratelimit import rate_limit_hit, rate_limit_reset

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def hits(key: str, count: int, *, limit: int = 3, window: int = 60) -> list[bool]:
    return [rate_limit_hit(key=key, limit=limit, window=window) for _ in range(count)]


def test_hits_up_to_the_limit_pass_and_the_next_is_refused():
    with time_machine.travel(START, tick=False):
        assert hits("k", 5) == [False, False, False, True, True]


def test_each_key_has_its_own_count():
    with time_machine.travel(START, tick=False):
        hits("a", 3)

        assert hits("b", 1) == [False]
        assert hits("a", 1) == [True]


def test_the_count_starts_again_in_the_next_window():
    with time_machine.travel(START, tick=False) as clock:
        hits("k", 4)
        clock.shift(timedelta(seconds=59))
        assert hits("k", 1) == [True]

        clock.shift(timedelta(seconds=1))
        assert hits("k", 1) == [False]


def test_the_count_lives_in_the_database_shared_by_every_worker():
    with time_machine.travel(START, tick=False):
        hits("k", 3)
        cache.clear()  # nothing per process holds the count

        assert hits("k", 1) == [True]
        assert RateLimitCounter.objects.get(key="k").hits == 4


def test_ended_windows_are_purged_when_a_new_window_opens():
    with time_machine.travel(START, tick=False) as clock:
        hits("old", 1, window=60)
        hits("long", 1, window=3600)
        clock.shift(timedelta(minutes=5))

        hits("new", 1, window=60)

        assert set(RateLimitCounter.objects.values_list("key", flat=True)) == {"long", "new"}


def test_reset_forgets_a_key():
    with time_machine.travel(START, tick=False):
        hits("k", 4)
        rate_limit_reset(key="k")

        assert hits("k", 1) == [False]


def test_a_zero_limit_refuses_every_hit():
    assert hits("k", 2, limit=0) == [True, True]


@pytest.mark.parametrize(("limit", "window"), [(-1, 60), (3, 0)])
def test_nonsense_limits_are_a_programming_error(limit, window):
    with pytest.raises(ValueError, match="rate limit"):
        rate_limit_hit(key="k", limit=limit, window=window)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_processes_never_let_more_than_the_limit_through():
    """Threads stand in for gunicorn workers: each has its own database connection."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")

    def worker(_) -> list[bool]:
        try:
            return hits("shared", 5, limit=20, window=3600)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [passed for batch in pool.map(worker, range(8)) for passed in batch]

    assert results.count(False) == 20
    assert RateLimitCounter.objects.get(key="shared").hits == 40
