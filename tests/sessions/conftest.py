from datetime import timedelta

import pytest
from django.utils import timezone

from patients import services as patient_services
from patients.models import QuestionCategory
from sessions.models import ConsentMethod, Muscle, Technique
from tests.conftest import answers_with


@pytest.fixture
def muscles(db) -> dict[str, Muscle]:
    return {m.name: m for m in Muscle.objects.all()}


@pytest.fixture
def screen(therapist, checklist):
    """Record a screening through the service: `screen(patient, *codes, regions=..., ago=...)`."""

    def _screen(patient, *codes, regions=(), ago=timedelta(hours=1)):
        by_code = {q.code: q for group in checklist.values() for q in group}
        present = [by_code[code] for code in codes]
        needs_justification = any(q.category == QuestionCategory.RELATIVE for q in present)
        return patient_services.screening_record(
            patient=patient,
            therapist=therapist,
            answers=answers_with(checklist, *present),
            avoid_regions=regions,
            justification="Shallow needling with pressure after." if needs_justification else "",
            taken_at=timezone.now() - ago,
        )

    return _screen


def session_details(**overrides) -> dict:
    details = {
        "started_at": timezone.now() - timedelta(minutes=10),
        "consent_method": ConsentMethod.WRITTEN,
        "consent_obtained": True,
        "health_unchanged": True,
        "pain_before": 6,
        "pain_after": 3,
        "needle_type": "Solid filament, guide tube",
        "clean_technique": True,
        "sharps_disposed": True,
        "notes": "",
    }
    details.update(overrides)
    return details


def site(muscle, **overrides) -> dict:
    values = {
        "muscle": muscle,
        "side": "left",
        "technique": Technique.STATIC,
        "insertions": 3,
        "twitch_response": True,
        "depth_mm": None,
        "needle_length_mm": None,
        "needle_gauge_mm": None,
        "lung_risk_acknowledged": False,
        "notes": "",
    }
    values.update(overrides)
    return values
