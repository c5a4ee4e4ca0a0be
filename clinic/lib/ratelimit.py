"""A fixed-window rate limiter whose counts live in the database.

Every gunicorn worker (and every server behind a load balancer) counts in the same table, so a
limit holds for the whole site, not per process. Callers choose the key: "fhir-token:12",
"patient-link:ab12", "ip:203.0.113.9".
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateLimitCounter


def _now_seconds() -> int:
    return int(timezone.now().timestamp())


@transaction.atomic
def rate_limit_hit(*, key: str, limit: int, window: int) -> bool:
    """Count one hit for `key` in the current window of `window` seconds.

    Returns True when this hit is over `limit` (the caller refuses it). Windows are fixed:
    the count starts again at each multiple of `window` seconds since the epoch.
    """
    if limit < 0 or window < 1:
        raise ValueError("A rate limit needs limit >= 0 and window >= 1 second.")
    now = _now_seconds()
    start = now // window * window
    counter = RateLimitCounter.objects.filter(key=key, window_start=start)
    if not counter.update(hits=F("hits") + 1):
        try:
            with transaction.atomic():
                RateLimitCounter.objects.create(
                    key=key, window_start=start, expires_at=start + window, hits=1
                )
        except IntegrityError:  # another process opened the window first
            counter.update(hits=F("hits") + 1)
        else:
            RateLimitCounter.objects.filter(expires_at__lte=now).delete()  # ended windows
    return counter.values_list("hits", flat=True).get() > limit


def rate_limit_reset(*, key: str) -> None:
    """Forget every count of `key` (e.g. after an administrator lifts a block)."""
    RateLimitCounter.objects.filter(key=key).delete()
