"""Optional two-factor sign-in (TOTP), which a clinic can require of its clinic admins: then
a password alone reaches no page but the code's."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.accounts.credentials import SignInStep
from clinic.accounts.views import MFA_CODE_WRONG, MFA_TURNED_ON
from tests.factories import TEST_PASSWORD
from tests.test_access_matrix import PATIENT_LINK_PAGES, url_for
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db

# Pages a member on a pending sign-in step may still open: the step's own and signing out.
# Patients' link pages are public, whoever is signed in: their token is the key.
STEP_PAGES = {step.value for step in SignInStep} | {"logout", "login", "healthz"}
STEP_PAGES |= PATIENT_LINK_PAGES


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(username: str) -> tuple[Client, object]:
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": TEST_PASSWORD}, follow=True
    )
    return client, response


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_a_therapist_turns_on_two_factor_sign_in(therapist_client, therapist):
    page = therapist_client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(user=therapist)

    assert page.context["qr_code"].startswith("data:image/svg+xml")
    response = therapist_client.post(
        reverse("mfa_setup"), {"token": current_code(device)}, follow=True
    )

    assert MFA_TURNED_ON in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert therapist_client.get(reverse("patients:list")).status_code == 200


def test_a_wrong_code_does_not_turn_it_on(therapist_client, therapist):
    therapist_client.get(reverse("mfa_setup"))

    response = therapist_client.post(reverse("mfa_setup"), {"token": "000000"})

    assert MFA_CODE_WRONG in response.content.decode()
    assert not TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()


def test_with_an_app_sign_in_asks_for_its_code(therapist):
    device = confirmed_device(therapist)

    client, response = sign_in(therapist.username)

    assert response.redirect_chain[-1][0] == reverse("mfa_verify")
    assert client.get(reverse("patients:list")).url == reverse("mfa_verify")
    wrong = client.post(reverse("mfa_verify"), {"token": "000000"})
    assert MFA_CODE_WRONG in wrong.content.decode()
    # A wrong code makes the next try wait (django-otp's throttling doubles it each time).
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        client.post(reverse("mfa_verify"), {"token": current_code(device)})
        assert client.get(reverse("patients:list")).status_code == 200


@pytest.fixture
def clinic_requiring_mfa(clinic):
    clinic.require_mfa_for_admins = True
    clinic.save()
    return clinic


@pytest.mark.usefixtures("clinic_requiring_mfa")
def test_a_clinic_admin_without_an_app_must_set_one_up(clinic_admin):
    client, response = sign_in(clinic_admin.username)

    assert response.redirect_chain[-1][0] == reverse("mfa_setup")
    assert SignInStep.SET_UP_MFA.label in response.content.decode()
    device = TOTPDevice.objects.get(user=clinic_admin)
    client.post(reverse("mfa_setup"), {"token": current_code(device)})
    assert client.get(reverse("reports:dashboard")).status_code == 200


@pytest.mark.usefixtures("clinic_requiring_mfa")
def test_therapists_are_not_asked_when_only_admins_must(therapist):
    client, response = sign_in(therapist.username)

    assert response.redirect_chain[-1][0] == reverse("treatment_sessions:worklist")


@pytest.mark.parametrize(
    "route", [r for r in project_routes() if r.name not in STEP_PAGES], ids=lambda r: r.name
)
@pytest.mark.parametrize("has_app", [True, False], ids=["app not yet verified", "no app yet"])
def test_with_mfa_required_a_password_alone_reaches_no_page(
    client, clinic_requiring_mfa, clinic_admin, route, has_app
):
    if has_app:
        confirmed_device(clinic_admin)
    client.post(reverse("login"), {"username": clinic_admin.username, "password": TEST_PASSWORD})
    step = reverse("mfa_verify" if has_app else "mfa_setup")
    url = url_for(route, clinic_requiring_mfa)

    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302, route.name
        assert response.url == step


def test_the_account_page_tells_whether_two_factor_sign_in_is_on(therapist_client, therapist):
    off = therapist_client.get(reverse("password_change")).content.decode()
    confirmed_device(therapist)
    on = therapist_client.get(reverse("password_change")).content.decode()

    assert reverse("mfa_setup") in off
    assert reverse("mfa_setup") not in on
