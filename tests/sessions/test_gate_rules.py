"""The gate's rules from the published guidance: regional contraindications, the bleeding
precaution's depth limit, the therapist's credential, archived patients and the minute a
screening must precede. Each refusal writes nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import DEFAULT_SUPERFICIAL_DEPTH_MM
from clinic.formats import shown
from patients.models import BodyRegion, Side
from patients.services import patient_archive
from sessions.models import GateOutcome, NeedlingSession, TriggerPointSite
from sessions.services import gate as safety_gate
from sessions.services import needling as services
from tests.builders import session_details, site
from tests.factories import (
    ClinicAdminFactory,
    CredentialFactory,
    PatientFactory,
    TherapistFactory,
)

pytestmark = pytest.mark.django_db


def nothing_written() -> bool:
    return not NeedlingSession.objects.exists() and not TriggerPointSite.objects.exists()


def record(patient, therapist, sites, **overrides):
    return services.session_record(
        patient=patient, therapist=therapist, sites=sites, **session_details(**overrides)
    )


def refusal_of(patient, therapist, sites, **overrides) -> safety_gate.NeedlingRefused:
    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(patient, therapist, sites, **overrides)
    return refusal.value


# Regional contraindications


@pytest.mark.parametrize(
    "code", ["lymphedema", "local-infection", "tumour", "radiotherapy", "recent-surgery"]
)
def test_a_regional_finding_refuses_its_region_and_nothing_is_written(
    therapist, screen, muscles, code
):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, code, regions=[(BodyRegion.UPPER_ARM, Side.LEFT)])

    refused = refusal_of(patient, therapist, [site(muscles["Biceps brachii"], side=Side.LEFT)])

    assert refused.site_errors == {
        0: [
            safety_gate.SITE_IN_AVOID_REGION.format(
                muscle=muscles["Biceps brachii"], side="left", region="Upper arm (left)"
            )
        ]
    }
    assert nothing_written()


def test_a_regional_finding_leaves_the_rest_of_the_body_cleared_with_precautions(
    therapist, screen, muscles
):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "lymphedema", regions=[(BodyRegion.UPPER_ARM, Side.LEFT)])

    session = record(
        patient,
        therapist,
        [
            site(muscles["Biceps brachii"], side=Side.RIGHT),
            site(muscles["Gluteus medius"], side=Side.LEFT),
        ],
    )

    assert session.gate_outcome == GateOutcome.PRECAUTIONS
    assert session.sites.count() == 2


# The bleeding precaution: superficial needling only


def test_under_a_bleeding_disorder_a_site_without_depth_is_refused(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "bleeding-disorder")

    refused = refusal_of(patient, therapist, [site(muscles["Soleus"], depth_mm=None)])

    assert refused.site_errors == {
        0: [
            safety_gate.DEPTH_REQUIRED.format(
                muscle=muscles["Soleus"], side="left", limit=DEFAULT_SUPERFICIAL_DEPTH_MM
            )
        ]
    }
    assert nothing_written()


def test_under_a_bleeding_disorder_a_deeper_site_is_refused_on_its_row(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "bleeding-disorder")
    too_deep = DEFAULT_SUPERFICIAL_DEPTH_MM + 1

    refused = refusal_of(
        patient,
        therapist,
        [
            site(muscles["Soleus"], depth_mm=DEFAULT_SUPERFICIAL_DEPTH_MM),
            site(muscles["Gastrocnemius"], depth_mm=too_deep),
        ],
    )

    assert refused.site_errors == {
        1: [
            safety_gate.TOO_DEEP.format(
                muscle=muscles["Gastrocnemius"],
                side="left",
                depth=too_deep,
                limit=DEFAULT_SUPERFICIAL_DEPTH_MM,
            )
        ]
    }
    assert nothing_written()


def test_the_superficial_limit_is_the_clinics_setting(therapist, screen, muscles):
    therapist.clinic.superficial_depth_limit_mm = 15
    therapist.clinic.save()
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "bleeding-disorder")

    session = record(patient, therapist, [site(muscles["Soleus"], depth_mm=15)])

    assert session.gate_outcome == GateOutcome.PRECAUTIONS
    refused = refusal_of(patient, therapist, [site(muscles["Soleus"], depth_mm=16)])
    assert refused.site_errors[0][0].startswith("Soleus (left) at 16 mm")


def test_without_a_bleeding_disorder_depth_is_optional(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "anticoagulants")

    session = record(
        patient,
        therapist,
        [site(muscles["Soleus"], depth_mm=None), site(muscles["Gastrocnemius"], depth_mm=40)],
    )

    assert session.sites.count() == 2


def test_signing_reruns_the_depth_rule(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "bleeding-disorder")
    draft = record(patient, therapist, [site(muscles["Soleus"], depth_mm=8)])
    therapist.clinic.superficial_depth_limit_mm = 5
    therapist.clinic.save()
    draft.patient.clinic.refresh_from_db()

    with pytest.raises(safety_gate.NeedlingRefused):
        services.session_sign(session=NeedlingSession.objects.get(pk=draft.pk), actor=therapist)

    assert not NeedlingSession.objects.get(pk=draft.pk).is_signed


# The therapist's credential


@pytest.mark.parametrize(
    ("completed_days_ago", "valid_for_days"),
    [(400, -1), (400, None), (-1, None)],
    ids=["expired yesterday", "none at all", "completed after the session"],
)
def test_needling_without_a_current_credential_is_refused(
    clinic, screen, muscles, completed_days_ago, valid_for_days
):
    therapist = TherapistFactory(clinic=clinic, credential=None)
    today = timezone.localdate()
    if valid_for_days is not None or completed_days_ago < 0:
        CredentialFactory(
            holder=therapist,
            completed_on=today - timedelta(days=completed_days_ago),
            valid_until=None if valid_for_days is None else today + timedelta(days=valid_for_days),
        )
    patient = PatientFactory(clinic=clinic)
    screen(patient)
    started = timezone.now() - timedelta(minutes=10)

    refused = refusal_of(patient, therapist, [site(muscles["Soleus"])], started_at=started)

    assert refused.message == safety_gate.NO_CURRENT_CREDENTIAL.format(
        therapist=therapist, day=shown(timezone.localdate(started))
    )
    assert nothing_written()


def test_a_credential_valid_through_the_session_day_allows_needling(clinic, screen, muscles):
    therapist = TherapistFactory(clinic=clinic, credential=None)
    CredentialFactory(holder=therapist, valid_until=timezone.localdate())
    patient = PatientFactory(clinic=clinic)
    screen(patient)

    session = record(patient, therapist, [site(muscles["Soleus"])])

    assert session.therapist == therapist


def test_the_session_form_says_why_a_therapist_without_credential_cannot_needle(
    client, clinic, screen
):
    therapist = TherapistFactory(clinic=clinic, credential=None)
    patient = PatientFactory(clinic=clinic)
    screen(patient)
    client.force_login(therapist)

    page = client.get(reverse("treatment_sessions:create", args=[patient.pk]))

    assert page.context["gate"].refusal.startswith(f"{therapist} holds no dry-needling credential")


# The patient and the minute


def test_a_session_for_an_archived_patient_is_refused(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    patient_archive(patient=patient)

    refused = refusal_of(patient, therapist, [site(muscles["Soleus"])])

    assert refused.message == safety_gate.PATIENT_ARCHIVED
    assert nothing_written()


def test_a_screening_taken_one_minute_after_the_sessions_start_is_refused(
    therapist, screen, muscles
):
    patient = PatientFactory(clinic=therapist.clinic)
    started = (timezone.now() - timedelta(minutes=30)).replace(second=0, microsecond=0)
    with time_machine.travel(timezone.now(), tick=False):
        screening = screen(patient, ago=timezone.now() - (started + timedelta(minutes=1)))
    assert screening.taken_at == started + timedelta(minutes=1)

    for chosen in (None, screening):
        refused = refusal_of(
            patient, therapist, [site(muscles["Soleus"])], started_at=started, screening=chosen
        )
        assert refused.message == safety_gate.NO_VALID_SCREENING
    assert nothing_written()


def test_a_credentialed_clinic_admin_cannot_record_needling(clinic, screen, muscles):
    admin = ClinicAdminFactory(clinic=clinic)
    CredentialFactory(holder=admin)
    patient = PatientFactory(clinic=clinic)
    screen(patient)

    refused = refusal_of(patient, admin, [site(muscles["Soleus"])])

    assert refused.message == safety_gate.NOT_A_THERAPIST
    assert nothing_written()
