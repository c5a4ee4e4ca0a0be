"""Idle logoff without a database write on every request."""

import time

from django.conf import settings

REFRESHED_AT = "_idle_refreshed_at"


def refresh_interval() -> int:
    """A request moves the session's expiry forward only if the last move is at least this
    many seconds old: a tenth of the idle time, at most a minute. A session therefore ends
    between the idle time minus this interval and the idle time after the last request, never
    later."""
    return min(60, settings.SESSION_COOKIE_AGE // 10)


class IdleSessionMiddleware:
    """Only signed-in sessions are refreshed: a stale or forged cookie never creates one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        now = int(time.time())
        if (
            request.user.is_authenticated
            and now - session.get(REFRESHED_AT, 0) >= refresh_interval()
        ):
            session[REFRESHED_AT] = now  # saved with a new expiry when the response goes out
        return self.get_response(request)
