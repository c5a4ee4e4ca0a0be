"""The audit trail records the client's address as the sign-in lockout takes it: behind the
trusted proxies, the address the outermost one saw; never an address a client wrote into
X-Forwarded-For itself."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from clinic.lib.security import client_address_settings
from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
CLIENT = "198.51.100.7"
SPOOFED = "203.0.113.5"


def signed_in(user, **headers) -> Client:
    client = Client(**headers)
    client.force_login(user)
    return client


def audited_addresses(client: Client, patient) -> tuple[str, str]:
    """The address on the chart read of the patient page, and on a registration."""
    client.get(patient.get_absolute_url())
    client.post(
        reverse("patients:create"),
        {
            "first_name": "Ana",
            "last_name": "Silva",
            "date_of_birth": "1990-04-01",
            "sex": "female",
            "mrn": "RP09001",
        },
    )
    read = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk")
    created = LogEntry.objects.get_for_object(Patient.objects.get(mrn="RP09001")).get()
    return read.remote_addr, created.remote_addr


def test_behind_a_trusted_proxy_a_spoofed_forwarded_address_is_not_recorded(settings, therapist):
    for name, value in client_address_settings(trusted_proxies=1).items():
        setattr(settings, name, value)
    settings.TRUSTED_PROXIES = 1
    # The client wrote SPOOFED; the proxy appended the address it saw.
    client = signed_in(therapist, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{SPOOFED}, {CLIENT}")

    assert audited_addresses(client, PatientFactory(clinic=therapist.clinic)) == (CLIENT, CLIENT)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(therapist):
    client = signed_in(therapist, REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=SPOOFED)

    assert audited_addresses(client, PatientFactory(clinic=therapist.clinic)) == (CLIENT, CLIENT)
