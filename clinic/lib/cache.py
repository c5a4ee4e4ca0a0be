"""The cache backend and the session engine that goes with it (see docs/security.md, "Cache").

Without REDIS_URL the cache is Django's local memory of each worker process: nothing to set up.
With REDIS_URL the cache is Redis, shared by every worker, and signed-in sessions are read from
it (`cached_db`: written to the database and the cache, read from the cache). Sessions stay in
the database alone with a per-process cache: signing out in one worker would leave the session
alive in the others' memory.
"""

from typing import Any

# Every entry expires after at most this long, unless its writer asks for less.
CACHE_TIMEOUT_SECONDS = 15 * 60
CACHE_KEY_PREFIX = "needletrack"
DB_SESSIONS = "django.contrib.sessions.backends.db"
CACHED_DB_SESSIONS = "django.contrib.sessions.backends.cached_db"
LOCMEM_CACHE = "django.core.cache.backends.locmem.LocMemCache"
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def cache_settings(redis_url: str, timeout: int = CACHE_TIMEOUT_SECONDS) -> dict[str, Any]:
    """CACHES and SESSION_ENGINE for a deployment with or without Redis."""
    if not redis_url:
        return {
            "CACHES": {
                "default": {
                    "BACKEND": LOCMEM_CACHE,
                    "LOCATION": CACHE_KEY_PREFIX,
                    "TIMEOUT": timeout,
                }
            },
            "SESSION_ENGINE": DB_SESSIONS,
        }
    return {
        "CACHES": {
            "default": {
                "BACKEND": REDIS_CACHE,
                "LOCATION": redis_url,
                "TIMEOUT": timeout,
                "KEY_PREFIX": CACHE_KEY_PREFIX,
            }
        },
        "SESSION_ENGINE": CACHED_DB_SESSIONS,
    }
