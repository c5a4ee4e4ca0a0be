"""Every member changes their own password; a password chosen by a clinic admin is replaced
at the first sign-in; weak patterns are refused."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clinic.accounts.credentials import SignInStep
from clinic.accounts.models import Role, User
from clinic.accounts.validators import (
    PASSWORD_DICTIONARY_LIKE,
    PASSWORD_FEW_CHARACTERS,
    PASSWORD_REPEATS,
)
from clinic.accounts.views import PASSWORD_CHANGED
from clinic.demo.builder import build_demo
from clinic.demo.data import DEMO_PASSWORD
from tests.factories import TEST_PASSWORD, TherapistFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "amber-kettle-violin-73"


def sign_in(username: str, password: str) -> tuple[Client, object]:
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password}, follow=True
    )
    return client, response


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("aaaaaaaaaaaa", PASSWORD_REPEATS),
        ("passwordpassword", PASSWORD_REPEATS),
        ("abcabcabcabc", PASSWORD_REPEATS),
        ("aabbaabbabab1", PASSWORD_FEW_CHARACTERS),
        ("Password2024!", PASSWORD_DICTIONARY_LIKE),
        ("p4ssw0rd-2024", PASSWORD_DICTIONARY_LIKE),
        ("qwertyuiop!!", PASSWORD_DICTIONARY_LIKE),
    ],
)
def test_repeated_and_dictionary_like_passwords_are_refused(password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(username="nia"))

    assert message in refused.value.messages


@pytest.mark.parametrize("password", [TEST_PASSWORD, NEW_PASSWORD, DEMO_PASSWORD])
def test_passphrases_are_accepted(password):
    validate_password(password, User(username="nia"))


def test_a_repeated_password_is_refused_on_the_staff_form(admin_client_):
    response = admin_client_.post(
        reverse("accounts:staff_create"),
        {
            "username": "newpt",
            "first_name": "Nia",
            "last_name": "Cole",
            "role": Role.THERAPIST,
            "password": "passwordpassword",
        },
    )

    assert PASSWORD_REPEATS in response.content.decode()
    assert not User.objects.filter(username="newpt").exists()


def test_every_member_changes_their_own_password(therapist_client, therapist):
    response = therapist_client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert PASSWORD_CHANGED in response.content.decode()
    assert therapist_client.get(reverse("patients:list")).status_code == 200
    therapist.refresh_from_db()
    assert therapist.check_password(NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing(therapist_client, therapist):
    response = therapist_client.post(
        reverse("password_change"),
        {
            "old_password": "not-my-password",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    therapist.refresh_from_db()
    assert therapist.check_password(TEST_PASSWORD)


def set_own_password(client: Client, old: str) -> None:
    client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def test_new_staff_set_their_own_password_before_any_page(admin_client_):
    admin_client_.post(
        reverse("accounts:staff_create"),
        {
            "username": "newpt",
            "first_name": "Nia",
            "last_name": "Cole",
            "role": Role.THERAPIST,
            "password": TEST_PASSWORD,
        },
    )

    client, response = sign_in("newpt", TEST_PASSWORD)

    assert response.redirect_chain[-1][0] == reverse(SignInStep.CHANGE_PASSWORD.value)
    assert SignInStep.CHANGE_PASSWORD.label in response.content.decode()
    assert client.get(reverse("patients:list")).url == reverse("password_change")
    set_own_password(client, old=TEST_PASSWORD)
    assert client.get(reverse("patients:list")).status_code == 200


def test_a_clinic_admin_can_ask_a_member_for_a_new_password(admin_client_, clinic):
    member = TherapistFactory(clinic=clinic)
    admin_client_.post(
        reverse("accounts:staff_edit", args=[member.pk]),
        {
            "first_name": member.first_name,
            "last_name": member.last_name,
            "email": "",
            "role": Role.THERAPIST,
            "is_active": "on",
            "must_change_password": "on",
        },
    )

    client, response = sign_in(member.username, TEST_PASSWORD)

    assert response.redirect_chain[-1][0] == reverse("password_change")
    set_own_password(client, old=TEST_PASSWORD)
    member.refresh_from_db()
    assert not member.must_change_password


def test_demo_logins_are_never_asked_for_a_new_password_or_a_code():
    result = build_demo(patients=1)

    for member in result.staff:
        client, response = sign_in(member.username, DEMO_PASSWORD)

        landed = response.redirect_chain[-1][0]
        assert landed not in {reverse(step.value) for step in SignInStep}, member.username
        assert response.status_code == 200
