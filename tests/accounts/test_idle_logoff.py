from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinic.accounts.middleware import refresh_interval

pytestmark = pytest.mark.django_db


def assert_still_signed_in(response, user) -> None:
    """The page itself, with the user's name and the sign-out button: not the login page."""
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(user.get_full_name()) in page
    assert "Sign out" in page


def assert_sent_to_login(response) -> None:
    assert response.status_code == 302
    assert response.url.startswith(reverse(settings.LOGIN_URL))


def test_idle_session_expires_and_the_next_request_goes_to_login(therapist_client, therapist):
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert_still_signed_in(therapist_client.get(reverse("patients:list")), therapist)
        clock.shift(idle + timedelta(seconds=1))

        response = therapist_client.get(reverse("patients:list"))

    assert_sent_to_login(response)


def test_activity_within_the_idle_window_keeps_the_session(therapist_client, therapist):
    almost_idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES) - timedelta(seconds=30)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(3):
            clock.shift(almost_idle)

            response = therapist_client.get(reverse("patients:list"))

            assert_still_signed_in(response, therapist)


def session_writes(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return sum(
        "django_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
        for q in queries.captured_queries
    )


def test_the_session_is_saved_at_most_once_a_minute(therapist_client):
    url = reverse("patients:list")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        therapist_client.get(url)
        clock.shift(timedelta(seconds=refresh_interval() - 1))
        assert session_writes(therapist_client, url) == 0
        clock.shift(timedelta(seconds=1))
        assert session_writes(therapist_client, url) == 1


def test_a_request_that_did_not_save_the_session_never_extends_the_idle_time(
    therapist_client, therapist
):
    """Logoff comes at most SESSION_IDLE_MINUTES after the last request, sometimes earlier."""
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    url = reverse("patients:list")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        therapist_client.get(url)
        clock.shift(timedelta(seconds=30))
        assert_still_signed_in(therapist_client.get(url), therapist)
        clock.shift(idle - timedelta(seconds=29))

        response = therapist_client.get(url)

    assert_sent_to_login(response)


def test_an_expired_session_cookie_creates_no_new_session(therapist_client):
    url = reverse("patients:list")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        therapist_client.get(url)
        clock.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES, seconds=1))
        sessions_before = Session.objects.count()

        therapist_client.get(url, follow=True)  # to the login page

    assert Session.objects.count() == sessions_before


def test_a_short_idle_time_keeps_an_active_user_signed_in(therapist_client, therapist, settings):
    settings.SESSION_COOKIE_AGE = 60  # DJANGO_SESSION_IDLE_MINUTES=1
    url = reverse("patients:list")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(6):
            assert_still_signed_in(therapist_client.get(url), therapist)
            clock.shift(timedelta(seconds=20))
