import pytest
from django.urls import reverse

from clinic.accounts.forms import USERNAME_TAKEN
from clinic.accounts.models import Role, User
from clinic.accounts.services import CANNOT_DEMOTE_SELF, LAST_ADMIN
from tests.factories import TEST_PASSWORD, ClinicAdminFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def test_clinic_admin_adds_a_therapist_who_can_sign_in(admin_client_, clinic_admin, client):
    response = admin_client_.post(
        reverse("accounts:staff_create"),
        {
            "username": "newpt",
            "first_name": "Nia",
            "last_name": "Cole",
            "email": "",
            "role": Role.THERAPIST,
            "password": TEST_PASSWORD,
        },
    )

    assert response.status_code == 302
    member = User.objects.get(username="newpt")
    assert member.clinic == clinic_admin.clinic
    assert member.check_password(TEST_PASSWORD)


def test_weak_password_is_refused_with_the_reason(admin_client_):
    response = admin_client_.post(
        reverse("accounts:staff_create"),
        {
            "username": "weak",
            "first_name": "W",
            "last_name": "K",
            "role": Role.THERAPIST,
            "password": "12345678",
        },
    )

    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_duplicate_username_is_refused(admin_client_, therapist):
    response = admin_client_.post(
        reverse("accounts:staff_create"),
        {
            "username": "THERAPIST",
            "first_name": "A",
            "last_name": "B",
            "role": Role.THERAPIST,
            "password": TEST_PASSWORD,
        },
    )

    assert USERNAME_TAKEN in response.content.decode()


def test_therapists_cannot_manage_staff(therapist_client):
    assert therapist_client.get(reverse("accounts:staff_list")).status_code == 403
    assert therapist_client.get(reverse("accounts:staff_create")).status_code == 403


def test_staff_list_shows_only_my_clinic(admin_client_, therapist, other_clinic_therapist):
    body = admin_client_.get(reverse("accounts:staff_list")).content.decode()

    assert therapist.username in body
    assert other_clinic_therapist.username not in body


def test_staff_of_another_clinic_is_404(admin_client_, other_clinic_therapist):
    url = reverse("accounts:staff_edit", args=[other_clinic_therapist.pk])

    assert admin_client_.get(url).status_code == 404


def test_admin_deactivates_a_therapist(admin_client_, therapist):
    admin_client_.post(
        reverse("accounts:staff_edit", args=[therapist.pk]),
        {"first_name": "T", "last_name": "P", "email": "", "role": Role.THERAPIST},
    )

    therapist.refresh_from_db()
    assert not therapist.is_active


def test_admin_cannot_demote_themself(admin_client_, clinic_admin):
    ClinicAdminFactory(clinic=clinic_admin.clinic)

    response = admin_client_.post(
        reverse("accounts:staff_edit", args=[clinic_admin.pk]),
        {
            "first_name": "A",
            "last_name": "B",
            "email": "",
            "role": Role.THERAPIST,
            "is_active": "on",
        },
    )

    assert CANNOT_DEMOTE_SELF in response.content.decode()
    clinic_admin.refresh_from_db()
    assert clinic_admin.role == Role.CLINIC_ADMIN


def test_clinic_keeps_at_least_one_admin(clinic_admin):
    from django.core.exceptions import ValidationError

    from clinic.accounts.services import staff_update

    other_admin = ClinicAdminFactory(clinic=clinic_admin.clinic)
    staff_update(
        actor=clinic_admin,
        member=other_admin,
        role=Role.THERAPIST,
        is_active=True,
        first_name="O",
        last_name="A",
        email="",
    )
    lone = TherapistFactory(clinic=clinic_admin.clinic, role=Role.CLINIC_ADMIN)
    clinic_admin.is_active = False
    clinic_admin.save()

    with pytest.raises(ValidationError, match=LAST_ADMIN):
        staff_update(
            actor=other_admin,
            member=lone,
            role=Role.THERAPIST,
            is_active=True,
            first_name="L",
            last_name="A",
            email="",
        )
