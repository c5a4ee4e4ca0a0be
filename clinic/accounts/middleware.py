"""Idle logoff without a database write on every request, the sign-in steps, and the clinic's
time zone."""

import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .credentials import sign_in_step

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


class SignInStepMiddleware:
    """Until a signed-in member has taken their pending sign-in step (`credentials`), every
    page but that step's and signing out sends them to it. Runs after django-otp's middleware,
    which tells whether the code was entered in this session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            step = sign_in_step(user, session=request.session, verified=user.is_verified())
            if step and request.path not in {reverse(step.value), reverse("logout")}:
                if request.method == "GET":
                    messages.info(request, step.label)
                return redirect(step.value)
        return self.get_response(request)


class ClinicTimeZoneMiddleware:
    """Times are shown, and entered, in the signed-in member's clinic's time zone; everyone
    else (sign-in page, platform superusers) sees the server's zone. The user comes with their
    clinic (`ClinicUserBackend`), so this reads nothing from the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        clinic = getattr(request.user, "clinic", None) if request.user.is_authenticated else None
        if clinic is not None:
            timezone.activate(clinic.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
