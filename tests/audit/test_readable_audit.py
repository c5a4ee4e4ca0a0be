"""The audit trail reads in a clinician's words: names, labels, nothing for empty fields."""

import re
from datetime import date

import pytest
from django.urls import reverse

from clinic.audit.events import audit_event
from clinic.audit.readable import NOTHING
from patients.models import Patient, ScreeningOutcome, Sex
from patients.services import patient_register, screening_record
from tests.builders import answers_with
from tests.factories import PatientFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def test_a_screening_entry_names_the_therapist_and_labels_its_codes(
    client, clinic_admin, clinic, checklist
):
    patient = PatientFactory(clinic=clinic)
    therapist = TherapistFactory(clinic=clinic, first_name="Sam", last_name="Okafor")
    with audit_event():  # as the screening form's request records it
        screening_record(patient=patient, therapist=therapist, answers=answers_with(checklist))
    client.force_login(clinic_admin)

    page = client.get(reverse("audit:patient", args=[patient.pk])).content.decode()

    assert "<strong>Therapist</strong>: Sam Okafor" in page
    assert f"<strong>Outcome</strong>: {ScreeningOutcome.CLEARED.label}" in page
    assert f"<strong>Patient</strong>: {patient}" in page
    assert not re.search(r"</strong>: (None|—)<", page), "empty fields shown on a creation"
    assert f"→ {NOTHING}" not in page.split("Screening")[0]


def test_a_registration_entry_leaves_out_the_derived_search_name_and_record_version(
    client, clinic_admin, clinic
):
    with audit_event():
        patient = patient_register(
            clinic=clinic,
            mrn="RV-1",
            first_name="Zoë",
            last_name="Ångström",
            date_of_birth=date(1980, 5, 17),
            sex=Sex.FEMALE,
        )
    client.force_login(clinic_admin)

    page = client.get(reverse("audit:patient", args=[patient.pk])).content.decode()

    assert "<strong>First name</strong>: Zoë" in page
    for derived in ("search_name", "record_version"):
        label = Patient._meta.get_field(derived).verbose_name
        assert f"<strong>{label.capitalize()}</strong>" not in page
