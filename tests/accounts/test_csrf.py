import pytest
from django.test import Client
from django.urls import reverse

from patients.models import Patient
from tests.factories import TEST_PASSWORD, PatientFactory

pytestmark = pytest.mark.django_db

PATIENT = {
    "first_name": "Jo",
    "last_name": "Smith",
    "date_of_birth": "1979-03-02",
    "sex": "female",
    "mrn": "A-100",
}


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_login_without_csrf_token_is_refused(csrf_client, therapist):
    response = csrf_client.post(
        reverse("login"), {"username": therapist.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 403
    assert "_auth_user_id" not in csrf_client.session


def test_login_with_the_forms_csrf_token_signs_in(csrf_client, therapist):
    csrf_client.get(reverse("login"))
    token = csrf_client.cookies["csrftoken"].value

    response = csrf_client.post(
        reverse("login"),
        {"username": therapist.username, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302


def test_patient_form_without_csrf_token_is_refused(csrf_client, therapist):
    csrf_client.force_login(therapist)

    response = csrf_client.post(reverse("patients:create"), PATIENT)

    assert response.status_code == 403
    assert not Patient.objects.exists()


def test_patient_edit_without_csrf_token_changes_nothing(csrf_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic, first_name="Kim")
    csrf_client.force_login(therapist)

    response = csrf_client.post(reverse("patients:edit", args=[patient.pk]), PATIENT)

    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.first_name == "Kim"
