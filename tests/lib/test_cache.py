"""The cache backend: local memory without set-up, Redis with REDIS_URL, and sessions in it.

The Redis cases run against the real Redis on 127.0.0.1:6379 (NEEDLETRACK_TEST_REDIS_URL to
use another): skipped when it is down, unless NEEDLETRACK_REQUIRE_REDIS=1 (CI), which makes a
missing Redis fail the run. Keys carry a prefix of this run; nothing else in the database is
touched.
"""

import os
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.lib.cache import (
    CACHE_KEY_PREFIX,
    CACHE_TIMEOUT_SECONDS,
    CACHED_DB_SESSIONS,
    DB_SESSIONS,
    LOCMEM_CACHE,
    REDIS_CACHE,
    cache_settings,
)

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("NEEDLETRACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
PATIENTS = reverse("patients:list")


def test_without_redis_the_cache_is_local_memory_and_sessions_stay_in_the_database():
    configured = cache_settings("")

    assert configured["CACHES"]["default"]["BACKEND"] == LOCMEM_CACHE
    assert configured["CACHES"]["default"]["TIMEOUT"] == CACHE_TIMEOUT_SECONDS
    assert configured["SESSION_ENGINE"] == DB_SESSIONS


def test_with_redis_url_the_cache_is_redis_and_sessions_are_read_from_it():
    configured = cache_settings("redis://cache.internal:6379/1", timeout=60)

    assert configured["CACHES"]["default"] == {
        "BACKEND": REDIS_CACHE,
        "LOCATION": "redis://cache.internal:6379/1",
        "TIMEOUT": 60,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
    }
    assert configured["SESSION_ENGINE"] == CACHED_DB_SESSIONS


def test_the_running_settings_follow_redis_url():
    expected = cache_settings(django_settings.REDIS_URL)

    assert (
        django_settings.CACHES["default"]["BACKEND"] == (expected["CACHES"]["default"]["BACKEND"])
    )
    assert expected["SESSION_ENGINE"] == django_settings.SESSION_ENGINE


def _require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis is not running at {REDIS_URL} (redis-server --daemonize yes)"
        if os.environ.get("NEEDLETRACK_REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(params=["locmem", "redis"])
def cached_sessions(request, settings):
    """The deployment's cache (local memory, or Redis as with REDIS_URL) with sessions in it."""
    if request.param == "redis":
        _require_redis()
        configured = cache_settings(REDIS_URL)
        configured["CACHES"]["default"]["KEY_PREFIX"] = f"needletrack-cache-test-{os.getpid()}"
    else:
        configured = cache_settings("")
        configured["SESSION_ENGINE"] = CACHED_DB_SESSIONS
    settings.CACHES = configured["CACHES"]
    settings.SESSION_ENGINE = configured["SESSION_ENGINE"]
    written = []
    yield written
    cache.delete_many(written)


def test_a_value_round_trips_and_a_zero_timeout_keeps_nothing(cached_sessions):
    cached_sessions.extend(["round-trip", "gone"])

    cache.set("round-trip", {"version": 3, "rows": ["a", "b"]})
    cache.set("gone", "x", timeout=0)

    assert cache.get("round-trip") == {"version": 3, "rows": ["a", "b"]}
    assert cache.get("gone") is None
    cache.delete("round-trip")
    assert cache.get("round-trip") is None


def session_reads(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PATIENTS)
    assert response.status_code == 200
    return sum(
        'FROM "django_session"' in q["sql"] and q["sql"].startswith("SELECT")
        for q in queries.captured_queries
    )


def test_a_signed_in_page_reads_its_session_from_the_cache(cached_sessions, therapist):
    client = Client()
    client.force_login(therapist)
    cached_sessions.append(f"{CACHED_DB_SESSIONS}{client.session.session_key}")

    assert session_reads(client) == 0


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(cached_sessions, therapist):
    """As another worker would: a second client with the same cookie is signed out too."""
    first, second = Client(), Client()
    first.force_login(therapist)
    second.cookies = first.cookies
    assert second.get(PATIENTS).status_code == 200

    first.post(reverse("logout"))
    response = second.get(PATIENTS)

    assert response.status_code == 302
    assert response.url.startswith(reverse(django_settings.LOGIN_URL))


def test_an_idle_cached_session_still_ends_after_the_idle_time(settings, therapist):
    """Local memory honours the clock; Redis expires the entry by its own clock."""
    configured = cache_settings("")
    settings.CACHES = configured["CACHES"]
    settings.SESSION_ENGINE = CACHED_DB_SESSIONS
    client = Client()
    client.force_login(therapist)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get(PATIENTS).status_code == 200
        clock.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES, seconds=1))

        response = client.get(PATIENTS)

    assert response.status_code == 302
    assert response.url.startswith(reverse(settings.LOGIN_URL))
