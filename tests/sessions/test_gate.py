from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import BodyRegion, Side
from sessions.models import GateOutcome, NeedlingSession, Technique, TriggerPointSite
from sessions.services import gate as safety_gate
from sessions.services import needling as services
from tests.builders import session_details, site
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def nothing_written() -> bool:
    return not NeedlingSession.objects.exists() and not TriggerPointSite.objects.exists()


def record(patient, therapist, sites, **overrides):
    screening = overrides.pop("screening", None)
    return services.session_record(
        patient=patient,
        therapist=therapist,
        sites=sites,
        screening=screening,
        **session_details(**overrides),
    )


def test_cleared_screening_allows_needling_and_is_stored_with_the_session(
    therapist, screen, muscles
):
    patient = PatientFactory(clinic=therapist.clinic)
    screening = screen(patient)

    session = record(patient, therapist, [site(muscles["Gluteus medius"])])

    assert session.screening == screening
    assert session.gate_outcome == GateOutcome.CLEARED
    assert "cleared" in session.gate_summary
    assert [str(s) for s in session.sites.all()] == ["Gluteus medius (left)"]


def test_no_screening_is_refused(therapist, muscles):
    patient = PatientFactory(clinic=therapist.clinic)

    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(patient, therapist, [site(muscles["Gluteus medius"])])

    assert refusal.value.message == safety_gate.NO_VALID_SCREENING
    assert nothing_written()


def test_screening_that_expired_the_day_before_is_refused(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screening = screen(patient, ago=timedelta(days=31))
    assert screening.valid_until < timezone.now() - timedelta(hours=23)

    with pytest.raises(safety_gate.NeedlingRefused, match="expired on"):
        record(patient, therapist, [site(muscles["Gluteus medius"])])

    assert nothing_written()


def test_screening_of_another_patient_is_refused(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    someone_else = screen(PatientFactory(clinic=therapist.clinic))

    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(patient, therapist, [site(muscles["Gluteus medius"])], screening=someone_else)

    assert refusal.value.message == safety_gate.SCREENING_OTHER_PATIENT
    assert nothing_written()


@pytest.mark.parametrize(
    ("finding", "reason"),
    [
        ("fever-chills", safety_gate.REFUSED_REFER),
        ("needle-phobia", safety_gate.REFUSED_NOT_CLEARED),
    ],
)
def test_refer_and_not_cleared_are_refused_with_the_reason(
    therapist, screen, muscles, finding, reason
):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, finding)

    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(patient, therapist, [site(muscles["Gluteus medius"])])

    assert refusal.value.message == reason
    assert nothing_written()


def test_precautions_allow_needling_and_are_recorded(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "anticoagulants")

    gate = safety_gate.needling_gate(patient=patient, therapist=therapist, at=timezone.now())
    session = record(patient, therapist, [site(muscles["Gluteus medius"])])

    assert gate.allowed
    assert gate.precautions == ["Takes anticoagulant or antiplatelet medication"]
    assert session.gate_outcome == GateOutcome.PRECAUTIONS
    assert "Justification: Shallow needling" in session.gate_summary


def test_site_in_an_avoid_region_is_refused(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "recent-surgery", regions=[(BodyRegion.PELVIS_HIP, Side.LEFT)])
    sites = [
        site(muscles["Gluteus medius"], side="right"),
        site(muscles["Piriformis"], side="left"),
    ]

    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(patient, therapist, sites)

    assert list(refusal.value.site_errors) == [1]
    assert "Piriformis (left) is in a region to avoid" in refusal.value.site_errors[1][0]
    assert nothing_written()


def test_bilateral_site_touches_a_one_sided_avoid_region(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "recent-surgery", regions=[(BodyRegion.LEG, Side.RIGHT)])

    with pytest.raises(safety_gate.NeedlingRefused):
        record(patient, therapist, [site(muscles["Soleus"], side="bilateral")])

    assert nothing_written()


def test_lung_risk_site_needs_the_precaution_acknowledged(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    trapezius = muscles["Upper trapezius"]

    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(patient, therapist, [site(trapezius)])
    assert "pneumothorax" in refusal.value.site_errors[0][0]
    assert nothing_written()

    session = record(patient, therapist, [site(trapezius, lung_risk_acknowledged=True)])
    stored = session.sites.get()
    assert stored.lung_risk
    assert stored.lung_risk_acknowledged
    assert "Lung-risk precaution acknowledged at: Upper trapezius (left)" in session.gate_summary


def test_no_electrical_stimulation_with_an_implanted_device(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "implanted-device")

    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(
            patient, therapist, [site(muscles["Gluteus medius"], technique=Technique.ELECTRICAL)]
        )

    assert refusal.value.site_errors[0] == [safety_gate.ELECTRICAL_WITH_DEVICE]
    assert nothing_written()


def test_a_failing_site_leaves_no_session_behind(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    sites = [site(muscles["Gluteus medius"]), site(muscles["Soleus"], insertions=0)]

    with pytest.raises(ValidationError):
        record(patient, therapist, sites)

    assert nothing_written()


def test_session_needs_at_least_one_site(therapist, screen):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)

    with pytest.raises(ValidationError, match="at least one"):
        record(patient, therapist, [])

    assert nothing_written()


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"consent_obtained": False}, services.NO_CONSENT),
        ({"health_unchanged": False}, services.HEALTH_NOT_CONFIRMED),
        ({"started_at": timezone.now() + timedelta(hours=2)}, services.STARTED_IN_FUTURE),
    ],
)
def test_consent_and_health_confirmation_are_required(
    therapist, screen, muscles, override, message
):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)

    with pytest.raises(ValidationError) as error:
        record(patient, therapist, [site(muscles["Gluteus medius"])], **override)

    assert message in error.value.messages
    assert nothing_written()


def test_session_started_before_the_screening_is_not_covered(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, ago=timedelta(hours=1))

    with pytest.raises(safety_gate.NeedlingRefused):
        record(
            patient,
            therapist,
            [site(muscles["Gluteus medius"])],
            started_at=timezone.now() - timedelta(hours=3),
        )

    assert nothing_written()


def test_an_older_screening_cannot_stand_in_for_a_newer_one(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    older = screen(patient, ago=timedelta(days=2))
    screen(patient, "fever-chills", ago=timedelta(days=1))

    with pytest.raises(safety_gate.NeedlingRefused) as refusal:
        record(patient, therapist, [site(muscles["Soleus"])], screening=older)

    assert refusal.value.message == safety_gate.SCREENING_NOT_CURRENT
    assert nothing_written()


def test_screening_taken_in_the_same_minute_covers_the_session(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screening = screen(patient, ago=timedelta(0))
    started = screening.taken_at.replace(second=0, microsecond=0)

    session = record(patient, therapist, [site(muscles["Soleus"])], started_at=started)

    assert session.screening == screening


def test_only_a_therapist_of_the_clinic_records_needling(
    therapist, other_clinic_therapist, screen, muscles
):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)

    with pytest.raises(ValidationError, match="Only a physical therapist"):
        record(patient, other_clinic_therapist, [site(muscles["Gluteus medius"])])

    assert nothing_written()
