import pytest
from django.urls import reverse

from patients.models import ScreeningQuestion
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_the_checklist_is_read_only_in_admin(admin_client):
    question = ScreeningQuestion.objects.active().get(code="implanted-device")
    version = question.version

    question_page = admin_client.get(
        reverse("admin:patients_screeningquestion_change", args=[question.pk])
    ).content.decode()
    version_page = admin_client.get(
        reverse("admin:patients_checklistversion_change", args=[version.pk])
    ).content.decode()

    for field in ("code", "category", "text", "needs_avoid_region"):
        assert f'name="{field}"' not in question_page
    assert question.text in version_page
    assert 'name="questions-0-text"' not in version_page
    add_question = admin_client.get(reverse("admin:patients_screeningquestion_add"))
    add_version = admin_client.get(reverse("admin:patients_checklistversion_add"))
    assert add_question.status_code == add_version.status_code == 403


def test_a_patient_cannot_be_moved_to_another_clinic_in_admin(admin_client):
    patient = PatientFactory()

    page = admin_client.get(reverse("admin:patients_patient_change", args=[patient.pk]))

    assert 'name="clinic"' not in page.content.decode()
    assert (
        'name="clinic"' in admin_client.get(reverse("admin:patients_patient_add")).content.decode()
    )
