"""Idle logoff without a database write on every request."""

import time

# A request moves the session's expiry forward only if the last move is at least this old, so
# a session ends between SESSION_IDLE_MINUTES minus one minute and SESSION_IDLE_MINUTES after
# the last request: never later.
REFRESH_SECONDS = 60
REFRESHED_AT = "_idle_refreshed_at"


class IdleSessionMiddleware:
    """Only signed-in sessions are refreshed: a stale or forged cookie never creates one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        now = int(time.time())
        if request.user.is_authenticated and now - session.get(REFRESHED_AT, 0) >= REFRESH_SECONDS:
            session[REFRESHED_AT] = now  # saved with a new expiry when the response goes out
        return self.get_response(request)
