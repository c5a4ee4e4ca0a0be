from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_idle_session_expires_and_the_next_request_goes_to_login(therapist_client):
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert therapist_client.get(reverse("patients:list")).status_code == 200
        clock.shift(idle + timedelta(seconds=1))

        response = therapist_client.get(reverse("patients:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse(settings.LOGIN_URL))


def test_activity_within_the_idle_window_keeps_the_session(therapist_client):
    almost_idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES) - timedelta(seconds=30)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(3):
            clock.shift(almost_idle)

            response = therapist_client.get(reverse("patients:list"))

            assert response.status_code == 200
