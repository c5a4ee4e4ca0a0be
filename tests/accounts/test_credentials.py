from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from clinic.accounts import services
from clinic.accounts.models import (
    CREDENTIAL_EXPIRY_WARNING_DAYS,
    EXPIRES_BEFORE_COMPLETED,
    HOURS_RANGE,
    Credential,
)
from tests.factories import ClinicAdminFactory, CredentialFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def credential_post(**overrides) -> dict:
    today = timezone.localdate()
    values = {
        "course": "Dry needling (46 h in person)",
        "hours": 46,
        "completed_on": (today - timedelta(days=30)).isoformat(),
        "jurisdiction": "Colorado",
        "valid_until": (today + timedelta(days=700)).isoformat(),
    }
    values.update(overrides)
    return values


def test_clinic_admin_records_a_therapists_credential(admin_client_, clinic):
    member = TherapistFactory(clinic=clinic, credential=None)

    response = admin_client_.post(
        reverse("accounts:credential_create", args=[member.pk]), credential_post()
    )

    assert response.status_code == 302
    credential = Credential.objects.get(holder=member)
    assert (credential.course, credential.hours, credential.jurisdiction) == (
        "Dry needling (46 h in person)",
        46,
        "Colorado",
    )
    listing = admin_client_.get(reverse("accounts:credential_list", args=[member.pk]))
    assert "Dry needling (46 h in person)" in listing.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"completed_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            services.COMPLETED_IN_FUTURE,
        ),
        (
            {"valid_until": (timezone.localdate() - timedelta(days=60)).isoformat()},
            EXPIRES_BEFORE_COMPLETED,
        ),
        ({"hours": 0}, HOURS_RANGE),
    ],
)
def test_a_bad_credential_is_refused_with_its_reason(admin_client_, clinic, overrides, message):
    member = TherapistFactory(clinic=clinic, credential=None)

    response = admin_client_.post(
        reverse("accounts:credential_create", args=[member.pk]), credential_post(**overrides)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Credential.objects.filter(holder=member).exists()


def test_only_an_admin_of_the_same_clinic_records_credentials(
    therapist, clinic_admin, other_clinic
):
    outsider = ClinicAdminFactory(clinic=other_clinic)
    today = timezone.localdate()
    values = {"course": "DN", "hours": 20, "completed_on": today, "jurisdiction": "Alberta"}

    for actor in (therapist, outsider):
        with pytest.raises(ValidationError) as error:
            services.credential_add(actor=actor, holder=therapist, **values)
        assert services.NOT_CLINIC_ADMIN in error.value.messages
    assert Credential.objects.filter(holder=therapist).count() == 1  # the factory's own


def test_the_database_refuses_a_credential_expiring_before_completion(therapist):
    today = timezone.localdate()

    with pytest.raises(IntegrityError):
        Credential.objects.create(
            holder=therapist,
            course="DN",
            hours=20,
            completed_on=today,
            jurisdiction="Maryland",
            valid_until=today - timedelta(days=1),
        )


def test_a_credential_is_current_from_completion_through_its_last_valid_day(therapist):
    today = timezone.localdate()
    credential = CredentialFactory(
        holder=therapist, completed_on=today - timedelta(days=10), valid_until=today
    )

    assert credential.is_current_on(today)
    assert not credential.is_current_on(today + timedelta(days=1))
    assert not credential.is_current_on(today - timedelta(days=11))
    current = Credential.objects.filter(pk=credential.pk).current_on
    assert current(today).exists()
    assert not current(today + timedelta(days=1)).exists()


def test_staff_page_shows_who_is_credentialed_and_who_runs_out_soon(admin_client_, clinic):
    today = timezone.localdate()
    lasting = TherapistFactory(clinic=clinic, first_name="Lasting", credential=None)
    CredentialFactory(holder=lasting, valid_until=today + timedelta(days=61))
    soon = TherapistFactory(clinic=clinic, first_name="Soon", credential=None)
    CredentialFactory(
        holder=soon, valid_until=today + timedelta(days=CREDENTIAL_EXPIRY_WARNING_DAYS)
    )
    lapsed = TherapistFactory(clinic=clinic, first_name="Lapsed", credential=None)
    CredentialFactory(holder=lapsed, valid_until=today - timedelta(days=1))
    TherapistFactory(clinic=clinic, first_name="Open")

    page = admin_client_.get(reverse("accounts:staff_list"))

    html = page.content.decode()
    rows = {m.first_name: m for m in page.context["staff"]}
    assert [m.first_name for m in page.context["expiring"]] == ["Soon"]
    assert (rows["Lasting"].credential_current, rows["Lasting"].credential_lasting) == (True, True)
    assert (rows["Soon"].credential_current, rows["Soon"].credential_lasting) == (True, False)
    assert not rows["Lapsed"].credential_current
    assert rows["Open"].credential_current
    assert rows["Open"].credential_lasting
    assert f"running out within {CREDENTIAL_EXPIRY_WARNING_DAYS} days" in html
    assert "None current" in html
    assert "Current (no expiry)" in html


def test_staff_page_reads_credentials_in_one_query(
    admin_client_, clinic, django_assert_max_num_queries
):
    TherapistFactory.create_batch(2, clinic=clinic)
    with django_assert_max_num_queries(10) as few:
        admin_client_.get(reverse("accounts:staff_list"))
    TherapistFactory.create_batch(8, clinic=clinic)

    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client_.get(reverse("accounts:staff_list"))


def test_admin_renews_a_credential(admin_client_, clinic):
    credential = CredentialFactory(holder=TherapistFactory(clinic=clinic, credential=None))
    renewed = timezone.localdate() + timedelta(days=900)

    response = admin_client_.post(
        reverse("accounts:credential_edit", args=[credential.pk]),
        credential_post(valid_until=renewed.isoformat()),
    )

    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.valid_until == renewed


def test_another_clinics_credential_is_404(admin_client_, other_clinic_therapist):
    credential = other_clinic_therapist.credentials.get()

    url = reverse("accounts:credential_edit", args=[credential.pk])

    assert admin_client_.get(url).status_code == 404
