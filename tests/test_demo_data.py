import pytest
from django.core.management import call_command
from django.utils import timezone

from clinic.accounts.models import Credential, Role, User
from clinic.demo.data import WITHDRAWN_CONSENT_PATIENT
from patients.consent.models import SignedConsent
from patients.models import EpisodeOfCare, Patient, Screening, ScreeningOutcome

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_clinic_with_every_screening_outcome(capsys):
    call_command("seed_demo", patients=30)

    assert Patient.objects.count() == 30
    outcomes = set(Screening.objects.values_list("outcome", flat=True))
    assert outcomes == set(ScreeningOutcome.values)
    assert User.objects.filter(role=Role.CLINIC_ADMIN).count() == 1
    assert User.objects.filter(role=Role.THERAPIST).count() == 2
    credentialed = User.objects.filter(
        credentials__in=Credential.objects.current_on(timezone.localdate())
    )
    assert set(credentialed) == set(User.objects.filter(role=Role.THERAPIST))
    out = capsys.readouterr().out
    assert "needletrack-demo" in out
    assert "therapist" in out


def test_seed_demo_is_idempotent():
    call_command("seed_demo", patients=10)
    call_command("seed_demo", patients=10)

    assert Patient.objects.count() == 10
    assert User.objects.count() == 3
    assert Credential.objects.count() == 2


def test_every_demo_patient_in_care_signed_consent_and_one_withdrew():
    call_command("seed_demo", patients=14)

    in_care = Patient.objects.filter(needling_sessions__isnull=False).distinct()
    assert in_care.exists()
    for patient in in_care:
        first_session = patient.needling_sessions.order_by("started_at").first()
        assert SignedConsent.objects.filter(
            patient=patient, signed_at__lte=first_session.started_at
        ).exists()
    withdrawn = SignedConsent.objects.filter(withdrawn_at__isnull=False)
    assert [c.patient.mrn for c in withdrawn] == [f"RP{WITHDRAWN_CONSENT_PATIENT:05d}"]


def test_every_demo_patient_in_care_has_a_current_consent_for_their_episode():
    call_command("seed_demo", patients=14)

    now = timezone.now()
    in_care = Patient.objects.filter(episodes__in=EpisodeOfCare.objects.open()).distinct()
    assert in_care.count() > 1
    for patient in in_care.exclude(mrn=f"RP{WITHDRAWN_CONSENT_PATIENT:05d}"):
        current = SignedConsent.objects.filter(patient=patient).current_at(now)
        assert [consent.episode.is_open for consent in current] == [True], patient.mrn
