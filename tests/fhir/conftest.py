from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.fhir.services.tokens import api_token_create
from patients import services as patient_services
from patients.models import BodyRegion, Patient, Screening, Side
from sessions.models import (
    AdverseEvent,
    AdverseEventType,
    ContactMethod,
    Exercise,
    Muscle,
    NeedlingSession,
    Severity,
    SorenessCheck,
    StrengtheningPlan,
    TriggerPointSite,
)
from sessions.services import followup as followup_services
from sessions.services import needling as session_services
from sessions.services import plans as plan_services
from tests.builders import answers_with, session_details, site
from tests.factories import PatientFactory


@dataclass
class Record:
    """One patient's record, built through the services as a clinic would build it."""

    patient: Patient
    screening: Screening
    session: NeedlingSession
    sites: list[TriggerPointSite]
    check: SorenessCheck
    event: AdverseEvent
    plan: StrengtheningPlan


@pytest.fixture
def record(therapist, checklist) -> Record:
    muscles = {m.name: m for m in Muscle.objects.all()}
    patient = PatientFactory(clinic=therapist.clinic, phone="555 0100", email="jo@example.com")
    by_code = {q.code: q for group in checklist.values() for q in group}
    screening = patient_services.screening_record(
        patient=patient,
        therapist=therapist,
        answers=answers_with(checklist, by_code["recent-surgery"], by_code["anticoagulants"]),
        avoid_regions=[(BodyRegion.THIGH, Side.LEFT)],
        justification="Superficial needling away from the left thigh.",
        taken_at=timezone.now() - timedelta(days=2),
    )
    session = session_services.session_record(
        patient=patient,
        therapist=therapist,
        sites=[
            site(muscles["Gluteus medius"], side=Side.RIGHT, depth_mm=30),
            site(muscles["Gluteus medius"], side=Side.LEFT),
            site(muscles["Piriformis"], side=Side.BILATERAL, twitch_response=False),
            site(muscles["Quadratus lumborum"], side=Side.RIGHT),
        ],
        **session_details(started_at=timezone.now() - timedelta(days=1, hours=1)),
    )
    session = session_services.session_sign(session=session, actor=therapist)
    session_services.addendum_add(
        session=session, author=therapist, reason="Late entry", text="Rang: sore but fine."
    )
    sites = list(session.sites.order_by("pk"))
    check = session.checks.order_by("hours_after").first()
    check = followup_services.soreness_check_record(
        check=check,
        actor=therapist,
        method=ContactMethod.PHONE,
        soreness=2,
        resolved=False,
        done_at=check.due_at,
        sore_sites=[sites[0]],
        notes="Mild ache.",
    )
    event = followup_services.adverse_event_record(
        session=session,
        reporter=therapist,
        event_type=AdverseEventType.BRUISING,
        severity=Severity.MILD,
        onset_at=session.started_at + timedelta(hours=2),
        description="Small bruise <left hip> & tender.",
        site=sites[0],
    )
    exercise = Exercise.objects.get(name="Glute bridge")
    plan = plan_services.plan_create(
        patient=patient,
        therapist=therapist,
        sessions=[session],
        goal="Climb stairs without hip pain.",
        start_date=timezone.localdate(),
        review_date=timezone.localdate() + timedelta(weeks=6),
        items=[plan_services.exercise_default_item(exercise)],
    )
    return Record(patient, screening, session, sites, check, event, plan)


@pytest.fixture
def api_token(clinic_admin, therapist) -> str:
    _token, raw = api_token_create(
        clinic=therapist.clinic, user=therapist, name="City EMR", created_by=clinic_admin
    )
    return raw


@pytest.fixture
def api_client(client, api_token):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_token}"
    return client
