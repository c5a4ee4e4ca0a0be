import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from clinic.audit.export import RECORD_FORMAT
from clinic.audit.services import EXPORT_NOTE
from patients.models import Patient
from tests.audit.test_patient_audit import screened_patient
from tests.factories import (
    NeedlingSessionFactory,
    PatientFactory,
    ScreeningFactory,
    SessionAddendumFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db


def export_url(patient: Patient) -> str:
    return reverse("audit:patient_export", args=[patient.pk])


def test_export_downloads_demographics_screenings_answers_and_avoid_regions(
    admin_client_, clinic, checklist
):
    patient = screened_patient(clinic, checklist, first_name="Jo", mrn="A-100")

    response = admin_client_.get(export_url(patient))

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    record = json.loads(response.content)
    assert record["format"] == RECORD_FORMAT
    assert record["patient"]["first_name"] == "Jo"
    assert record["patient"]["mrn"] == "A-100"
    [screening] = record["screenings"]
    assert screening["outcome"] == "Cleared with precautions"
    assert screening["justification"] == "Avoiding the affected arm."
    assert len(screening["answers"]) == sum(len(group) for group in checklist.values())
    assert [a["question"] for a in screening["answers"] if a["present"]] == [
        next(q.text for q in checklist["regional"] if q.needs_avoid_region)
    ]
    assert screening["avoid_regions"] == [{"region": "Upper arm", "side": "Left"}]


def test_export_is_logged_as_an_access_by_the_admin(admin_client_, clinic_admin, clinic):
    patient = PatientFactory(clinic=clinic)

    admin_client_.get(export_url(patient))

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == clinic_admin
    assert entry.object_id == patient.pk
    assert entry.additional_data == {"export": EXPORT_NOTE}
    page = admin_client_.get(reverse("audit:patient", args=[patient.pk])).content.decode()
    assert "Patient record exported (JSON)" in page


def test_export_of_another_clinic_is_404_and_not_logged(admin_client_, other_clinic):
    patient = PatientFactory(clinic=other_clinic)

    response = admin_client_.get(export_url(patient))

    assert response.status_code == 404
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_therapists_cannot_export_a_record(therapist_client, clinic):
    patient = PatientFactory(clinic=clinic)

    assert therapist_client.get(export_url(patient)).status_code == 403


def test_export_query_count_does_not_grow_with_the_record(
    admin_client_, clinic, checklist, django_assert_max_num_queries
):
    patient = screened_patient(clinic, checklist)

    def add_treatment(screenings: int) -> None:
        for screening in ScreeningFactory.create_batch(screenings, patient=patient):
            session = NeedlingSessionFactory(screening=screening)
            TriggerPointSiteFactory.create_batch(2, session=session)
            SessionAddendumFactory(session=session)

    add_treatment(1)
    with django_assert_max_num_queries(30) as baseline:
        admin_client_.get(export_url(patient))
    add_treatment(3)

    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = admin_client_.get(export_url(patient))

    assert response.status_code == 200
