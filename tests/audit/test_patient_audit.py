import pytest
from auditlog.models import LogEntry
from django.template.loader import render_to_string
from django.urls import reverse

from clinic.audit import access
from clinic.audit.events import audit_event
from clinic.audit.readable import OPENED_PAGE
from clinic.lib.paging import AUDIT_EVENTS_PER_PAGE
from patients.models import AvoidRegion, EpisodeOfCare, Patient, Screening, ScreeningAnswer
from patients.services import patient_update, screening_record
from tests.builders import answers_with
from tests.factories import PatientFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def audit_url(patient: Patient) -> str:
    return reverse("audit:patient", args=[patient.pk])


def screened_patient(clinic, checklist, **patient_fields) -> Patient:
    """A patient whose audit trail holds only their registration and screening."""
    patient = PatientFactory(clinic=clinic, consent=False, **patient_fields)
    therapist = TherapistFactory(clinic=clinic)
    lymphoedema = next(q for q in checklist["regional"] if q.needs_avoid_region)
    with audit_event():  # as the screening form's request records it
        screening_record(
            patient=patient,
            therapist=therapist,
            answers=answers_with(checklist, lymphoedema),
            avoid_regions=[("upper_arm", "left")],
            justification="Avoiding the affected arm.",
        )
    return patient


def test_patient_audit_shows_who_changed_what_and_who_opened_the_chart(
    client, therapist, clinic_admin, clinic
):
    patient = PatientFactory(clinic=clinic, first_name="Jo", phone="0111")
    client.force_login(therapist)
    client.get(patient.get_absolute_url())
    patient_update(patient=patient, phone="0222")
    client.force_login(clinic_admin)

    page = client.get(audit_url(patient)).content.decode()

    assert "Patient created" in page
    assert "Patient changed" in page
    assert OPENED_PAGE.format(page=access.PATIENT_PAGE) in page
    assert therapist.get_full_name() in page
    assert "0111 → 0222" in page


def test_patient_audit_includes_screenings_answers_and_avoid_regions(
    admin_client_, clinic, checklist
):
    patient = screened_patient(clinic, checklist)

    response = admin_client_.get(audit_url(patient))

    logged_types = {
        entry.content_type.model_class()
        for event in response.context["events"]
        for entry in event.entries
    }
    # The patient came through an intake: their episode of care is on the trail too.
    assert logged_types == {Patient, Screening, ScreeningAnswer, AvoidRegion, EpisodeOfCare}
    assert "Avoiding the affected arm." in response.content.decode()


def test_patient_audit_leaves_out_other_patients(admin_client_, clinic):
    patient = PatientFactory(clinic=clinic, last_name="Mine")
    PatientFactory(clinic=clinic, last_name="Neighbour")

    page = admin_client_.get(audit_url(patient)).content.decode()

    assert "Mine" in page
    assert "Neighbour" not in page


def test_patient_audit_of_another_clinic_is_404(admin_client_, other_clinic):
    patient = PatientFactory(clinic=other_clinic)

    assert admin_client_.get(audit_url(patient)).status_code == 404


def test_therapists_cannot_open_the_audit_trail(therapist_client, clinic):
    patient = PatientFactory(clinic=clinic)

    assert therapist_client.get(audit_url(patient)).status_code == 403


@pytest.mark.parametrize("screenings", [1, 4])
def test_patient_audit_query_count_does_not_grow_with_entries(
    admin_client_, clinic, checklist, screenings, django_assert_max_num_queries
):
    patient = screened_patient(clinic, checklist)
    therapist = TherapistFactory(clinic=clinic)
    for _ in range(screenings - 1):
        with audit_event():
            screening_record(patient=patient, therapist=therapist, answers=answers_with(checklist))

    # One query per kind of record the entries link to and name (patient, clinic, therapist,
    # screening, question, checklist version, consent, episode of care...), however many entries;
    # the clinic's staff for the filter; the events' count, the page's event keys, their entries.
    with django_assert_max_num_queries(19):
        response = admin_client_.get(audit_url(patient))

    assert response.status_code == 200
    shown = [entry for event in response.context["events"] for entry in event.entries]
    assert len(response.context["events"]) < AUDIT_EVENTS_PER_PAGE
    assert len([e for e in shown if e.content_type.app_label == "patients"]) == (
        LogEntry.objects.filter(content_type__app_label="patients").count()
    )


def test_audit_link_shows_only_for_those_who_may_open_the_trail(clinic):
    patient = PatientFactory(clinic=clinic)
    template = "audit/_patient_audit_link.html"

    admin_html = render_to_string(template, {"patient": patient, "perms_for_role": {"view_audit"}})
    therapist_html = render_to_string(template, {"patient": patient, "perms_for_role": set()})

    assert audit_url(patient) in admin_html
    assert therapist_html.strip() == ""
