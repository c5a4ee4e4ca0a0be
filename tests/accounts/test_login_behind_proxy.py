"""Behind the TLS proxy every request comes from the proxy's address: the sign-in lockout
takes the client's address from the header the trusted proxies add, and only from them."""

import pytest
from django.test import Client
from django.urls import reverse

from clinic.lib.security import client_address_settings
from tests.factories import TEST_PASSWORD
from tests.test_deploy_settings import run_manage

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ATTACKER = "198.51.100.7"
STAFF_MEMBER = "203.0.113.5"


def through_proxy(forwarded_for: str) -> Client:
    """A browser whose requests the proxy passes on, adding the address it saw."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def fail_until_locked(client: Client, username: str, limit: int) -> None:
    for _ in range(limit):
        client.post(reverse("login"), {"username": username, "password": "wrong guess"})


def sign_in(client: Client, username: str) -> int:
    return client.post(reverse("login"), {"username": username, "password": TEST_PASSWORD})


@pytest.fixture
def one_trusted_proxy(settings):
    for name, value in client_address_settings(trusted_proxies=1).items():
        setattr(settings, name, value)


@pytest.mark.usefixtures("one_trusted_proxy")
@pytest.mark.parametrize(
    "attacker_header",
    [ATTACKER, f"{STAFF_MEMBER}, {ATTACKER}"],
    ids=["plain", "claiming the staff member's address"],
)
def test_failures_from_another_address_do_not_lock_the_staff_member_out(
    settings, therapist, attacker_header
):
    attacker = through_proxy(attacker_header)
    fail_until_locked(attacker, therapist.username, settings.AXES_FAILURE_LIMIT)

    assert sign_in(attacker, therapist.username).status_code == 429
    assert sign_in(through_proxy(STAFF_MEMBER), therapist.username).status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings, therapist):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    fail_until_locked(attacker, therapist.username, settings.AXES_FAILURE_LIMIT)

    spoofing = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=STAFF_MEMBER)
    assert sign_in(spoofing, therapist.username).status_code == 429


def test_the_proxy_setting_is_read_from_the_environment():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.AXES_IPWARE_PROXY_COUNT)",
        DJANGO_TRUSTED_PROXIES="2",
    )

    assert result.stdout.strip().splitlines()[-1] == "1", result.stderr
