import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_therapist_signs_in_and_lands_on_the_worklist(client, therapist):
    response = client.post(
        reverse("login"), {"username": therapist.username, "password": TEST_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("treatment_sessions:worklist")


def test_clinic_admin_signs_in_and_lands_on_the_dashboard(client, clinic_admin):
    response = client.post(
        reverse("login"),
        {"username": clinic_admin.username, "password": TEST_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("reports:dashboard")


def test_wrong_password_says_so(client, therapist):
    response = client.post(reverse("login"), {"username": therapist.username, "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_account(client, therapist, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": therapist.username, "password": "nope"})

    response = client.post(
        reverse("login"), {"username": therapist.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_post_and_ends_the_session(therapist_client):
    therapist_client.post(reverse("logout"))

    assert therapist_client.get(reverse("patients:list")).status_code == 302


def test_session_cookie_expires_after_idle_time_and_with_the_browser(therapist_client, settings):
    response = therapist_client.get(reverse("patients:list"))

    assert settings.SESSION_COOKIE_AGE == 15 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""


def test_the_sign_in_page_says_when_idle_sessions_end(client, settings):
    settings.SESSION_IDLE_MINUTES = 30

    body = client.get(reverse("login")).content.decode()

    assert "Sessions end after 30 idle minutes and when the browser closes." in body
