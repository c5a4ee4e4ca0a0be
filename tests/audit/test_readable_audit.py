"""The audit trail reads in a clinician's words: names, labels, nothing for empty fields."""

import re

import pytest
from django.urls import reverse

from clinic.audit.events import audit_event
from clinic.audit.readable import NOTHING
from patients.models import ScreeningOutcome
from patients.services import screening_record
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
