from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from patients.consent import services
from sessions.services import gate as safety_gate
from sessions.services import needling
from tests.builders import session_details, site
from tests.consent.signing import publish, sign
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def record_session(patient, therapist, muscles):
    return needling.session_record(
        patient=patient,
        therapist=therapist,
        sites=[site(muscles["Gluteus medius"])],
        **session_details(),
    )


def test_gate_refuses_a_patient_who_never_signed(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    screen(patient)

    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record_session(patient, therapist, muscles)

    assert refusal.value.message == safety_gate.NO_SIGNED_CONSENT


def test_gate_refuses_after_withdrawal_and_allows_after_a_new_signature(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    screen(patient, ago=timedelta(hours=2))
    first = sign(patient, therapist, signed_at=timezone.now() - timedelta(hours=3))
    services.consent_withdraw(
        consent=first, witness=therapist, at=timezone.now() - timedelta(hours=1)
    )

    with pytest.raises(safety_gate.NeedlingRefused, match="withdrew their consent"):
        record_session(patient, therapist, muscles)

    sign(patient, therapist, signed_at=timezone.now() - timedelta(minutes=30))
    session = record_session(patient, therapist, muscles)
    assert session.pk is not None


def test_a_version_requiring_reconsent_asks_for_a_new_signature(
    therapist, screen, muscles, time_machine
):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, ago=timedelta(days=2))
    publish(therapist.clinic, requires_reconsent=True)
    time_machine.move_to(timezone.now() + timedelta(hours=1))

    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record_session(patient, therapist, muscles)
    assert refusal.value.message == safety_gate.CONSENT_NEEDS_RENEWAL

    sign(patient, therapist, signed_at=timezone.now() - timedelta(minutes=20))
    assert record_session(patient, therapist, muscles).pk is not None


def test_a_new_version_without_reconsent_keeps_signed_consents_in_force(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    publish(therapist.clinic, requires_reconsent=False)

    assert record_session(patient, therapist, muscles).pk is not None


def test_the_session_form_says_why_and_links_to_the_consent_form(
    therapist_client, therapist, screen
):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    screen(patient)

    page = therapist_client.get(reverse("treatment_sessions:create", args=[patient.pk]))

    html = page.content.decode()
    assert escape(safety_gate.NO_SIGNED_CONSENT) in html
    assert reverse("consent:sign", args=[patient.pk]) in html
    assert reverse("patients:screening_create", args=[patient.pk]) not in html
