"""The patient list and page lead with the screening state that matters and offer only the
action the safety gate allows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import ScreeningOutcome
from sessions.services.gate import NO_VALID_SCREENING, REFUSED_REFER
from tests.factories import PatientFactory, ScreeningFactory

pytestmark = pytest.mark.django_db

NEW_SESSION = "New needling session"


def expired_screening(patient):
    taken = timezone.now() - timedelta(days=60)
    return ScreeningFactory(patient=patient, taken_at=taken, valid_until=taken + timedelta(days=30))


def test_an_expired_screening_reads_expired_and_never_cleared_on_the_list(therapist_client, clinic):
    expired_screening(PatientFactory(clinic=clinic))

    page = therapist_client.get(reverse("patients:list")).content.decode()

    assert 'data-status="expired"' in page
    assert 'data-status="cleared"' not in page


@pytest.mark.parametrize(
    ("make_screening", "refusal"),
    [
        (None, NO_VALID_SCREENING),
        (lambda p: ScreeningFactory(patient=p, outcome=ScreeningOutcome.REFER), REFUSED_REFER),
        (expired_screening, "expired on"),
    ],
)
def test_when_the_gate_would_refuse_the_page_offers_a_new_screening_only(
    therapist_client, clinic, make_screening, refusal
):
    patient = PatientFactory(clinic=clinic)
    if make_screening:
        make_screening(patient)

    page = therapist_client.get(patient.get_absolute_url()).content.decode()

    assert NEW_SESSION not in page
    assert reverse("patients:screening_create", args=[patient.pk]) in page
    assert refusal in page
    assert 'data-status="cleared"' not in page


def test_a_cleared_patient_is_offered_a_needling_session(therapist_client, clinic):
    patient = PatientFactory(clinic=clinic)
    ScreeningFactory(patient=patient)

    page = therapist_client.get(patient.get_absolute_url()).content.decode()

    assert NEW_SESSION in page
    assert "data-needling-refusal" not in page


def test_each_dashboard_figure_links_to_its_list(admin_client_):
    page = admin_client_.get(reverse("reports:dashboard")).content.decode()

    assert 'href="#major"' in page
    assert f'href="{reverse("reports:followup")}#table-escalations"' in page
    assert f'href="{reverse("reports:followup")}#table-compliance"' in page
