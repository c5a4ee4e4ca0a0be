import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clinic.fhir.models import ApiToken
from clinic.fhir.services.tokens import (
    TOKEN_ALREADY_REVOKED,
    TOKEN_NEEDS_ADMIN,
    TOKEN_NOT_IN_CLINIC,
    TOKEN_PREFIX,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    token_hash,
)
from clinic.fhir.views.pages import TOKEN_REVOKED
from tests.factories import ClinicAdminFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def test_admin_creates_a_token_shown_once_and_stored_hashed(admin_client_, therapist):
    response = admin_client_.post(
        reverse("fhir:token_list"), {"user": therapist.pk, "name": "City EMR"}
    )

    assert response.status_code == 200
    raw = response.context["created"]
    assert raw.startswith(TOKEN_PREFIX)
    token = ApiToken.objects.get()
    assert token.token_hash == token_hash(raw) != raw
    assert raw not in str(ApiToken.objects.values().get())
    assert api_token_authenticate(raw=raw) == token
    page_again = admin_client_.get(reverse("fhir:token_list"))
    assert raw not in page_again.content.decode()
    assert token.prefix in page_again.content.decode()


def test_a_token_is_for_a_member_of_the_admins_own_clinic(admin_client_, other_clinic_therapist):
    response = admin_client_.post(
        reverse("fhir:token_list"), {"user": other_clinic_therapist.pk, "name": "City EMR"}
    )

    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_service_refuses_staff_of_another_clinic_and_non_admins(
    clinic_admin, therapist, other_clinic
):
    stranger = TherapistFactory(clinic=other_clinic)
    with pytest.raises(ValidationError, match=TOKEN_NOT_IN_CLINIC):
        api_token_create(
            clinic=clinic_admin.clinic, user=stranger, name="x", created_by=clinic_admin
        )
    with pytest.raises(ValidationError, match=TOKEN_NEEDS_ADMIN):
        api_token_create(clinic=therapist.clinic, user=therapist, name="x", created_by=therapist)
    other_admin = ClinicAdminFactory(clinic=other_clinic)
    with pytest.raises(ValidationError, match=TOKEN_NEEDS_ADMIN):
        api_token_create(clinic=therapist.clinic, user=therapist, name="x", created_by=other_admin)


def test_a_token_needs_a_name(clinic_admin, therapist):
    with pytest.raises(ValidationError):
        api_token_create(
            clinic=therapist.clinic, user=therapist, name="  ", created_by=clinic_admin
        )


def test_admin_revokes_a_token(admin_client_, clinic_admin, therapist):
    token, raw = api_token_create(
        clinic=therapist.clinic, user=therapist, name="City EMR", created_by=clinic_admin
    )

    response = admin_client_.post(reverse("fhir:token_revoke", args=[token.pk]), follow=True)

    token.refresh_from_db()
    assert token.revoked_by == clinic_admin
    assert TOKEN_REVOKED.format(token=token) in response.content.decode()
    assert api_token_authenticate(raw=raw) is None
    with pytest.raises(ValidationError, match=TOKEN_ALREADY_REVOKED):
        api_token_revoke(token=token, revoked_by=clinic_admin)


def test_another_clinics_token_cannot_be_revoked(admin_client_, other_clinic):
    other_admin = ClinicAdminFactory(clinic=other_clinic)
    token, _raw = api_token_create(
        clinic=other_clinic,
        user=TherapistFactory(clinic=other_clinic),
        name="City EMR",
        created_by=other_admin,
    )

    response = admin_client_.post(reverse("fhir:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_a_token_whose_holder_moved_clinic_opens_nothing(clinic_admin, therapist, other_clinic):
    _token, raw = api_token_create(
        clinic=therapist.clinic, user=therapist, name="City EMR", created_by=clinic_admin
    )
    therapist.clinic = other_clinic
    therapist.save()

    assert api_token_authenticate(raw=raw) is None


def test_token_page_query_count_is_constant(
    admin_client_, clinic_admin, therapist, django_assert_max_num_queries
):
    api_token_create(clinic=therapist.clinic, user=therapist, name="One", created_by=clinic_admin)
    with django_assert_max_num_queries(12) as few:
        admin_client_.get(reverse("fhir:token_list"))
    for name in ("Two", "Three", "Four"):
        api_token_create(
            clinic=therapist.clinic,
            user=TherapistFactory(clinic=therapist.clinic),
            name=name,
            created_by=clinic_admin,
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client_.get(reverse("fhir:token_list"))


@pytest.mark.parametrize(
    "values",
    [{"name": ""}, {"revoked_at": timezone.now()}],
    ids=["no name", "revoked without who"],
)
def test_the_database_refuses_an_unnamed_token_or_an_anonymous_revocation(
    clinic_admin, therapist, values
):
    fields = {
        "clinic": therapist.clinic,
        "user": therapist,
        "name": "City EMR",
        "token_hash": "0" * 64,
        "prefix": "ntk_abcdef",
        "created_by": clinic_admin,
        **values,
    }

    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(**fields)
