import pytest
from django.urls import reverse

from patients.models import ScreeningQuestion
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_an_asked_questions_code_and_class_cannot_be_edited_in_admin(admin_client):
    question = ScreeningQuestion.objects.get(code="implanted-device")

    page = admin_client.get(reverse("admin:patients_screeningquestion_change", args=[question.pk]))

    assert 'name="code"' not in page.content.decode()
    assert 'name="category"' not in page.content.decode()
    assert 'name="text"' in page.content.decode()


def test_a_patient_cannot_be_moved_to_another_clinic_in_admin(admin_client):
    patient = PatientFactory()

    page = admin_client.get(reverse("admin:patients_patient_change", args=[patient.pk]))

    assert 'name="clinic"' not in page.content.decode()
    assert (
        'name="clinic"' in admin_client.get(reverse("admin:patients_patient_add")).content.decode()
    )
