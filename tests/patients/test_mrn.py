"""MRNs are unique in a clinic whatever their letter case and surrounding spaces, and a
registration that loses a race for an MRN gets the form's message, not a server error."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from patients.models import MRN_IN_USE, Patient
from tests.factories import PatientFactory, TherapistFactory

from .test_patient_views import register_data


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["rp00001", " RP00001 ", "Rp00001"])
def test_an_mrn_differing_only_in_case_or_spaces_is_in_use(therapist_client, therapist, typed):
    PatientFactory(clinic=therapist.clinic, mrn="RP00001")

    response = therapist_client.post(reverse("patients:create"), register_data(mrn=typed))

    assert response.status_code == 200
    assert MRN_IN_USE in response.content.decode()
    assert Patient.objects.count() == 1


@pytest.mark.django_db
def test_the_mrn_is_stored_without_surrounding_spaces(therapist_client):
    therapist_client.post(reverse("patients:create"), register_data(mrn="  rp-7 "))

    assert Patient.objects.get().mrn == "rp-7"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_registrations_racing_for_one_mrn_store_one_patient(monkeypatch):
    """Both requests pass validation before either writes: the database's unique index
    decides, and the loser sees the form's message."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them)")
    therapist = TherapistFactory()
    both_validated = threading.Barrier(2, timeout=10)
    validate = Patient.validate_constraints

    def validate_then_wait(self, exclude=None):
        validate(self, exclude=exclude)
        both_validated.wait()

    monkeypatch.setattr(Patient, "validate_constraints", validate_then_wait)
    responses = []

    def register(mrn: str) -> None:
        client = Client()
        client.force_login(therapist)
        try:
            responses.append(client.post(reverse("patients:create"), register_data(mrn=mrn)))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(mrn,)) for mrn in ("RP-1", "RP-1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert MRN_IN_USE in refused.content.decode()
    assert Patient.objects.count() == 1
