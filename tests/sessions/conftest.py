from datetime import timedelta

import pytest
from django.utils import timezone

from patients import services as patient_services
from sessions.models import Muscle
from tests.builders import answers_with


@pytest.fixture
def muscles(db) -> dict[str, Muscle]:
    return {m.name: m for m in Muscle.objects.all()}


@pytest.fixture
def screen(therapist, checklist):
    """Record a screening through the service: `screen(patient, *codes, regions=..., ago=...)`."""

    def _screen(patient, *codes, regions=(), ago=timedelta(hours=1)):
        by_code = {q.code: q for group in checklist.values() for q in group}
        present = [by_code[code] for code in codes]
        needs_justification = any(
            q.category in patient_services.PRECAUTION_CLASSES for q in present
        )
        return patient_services.screening_record(
            patient=patient,
            therapist=therapist,
            answers=answers_with(checklist, *present),
            avoid_regions=regions,
            justification="Shallow needling with pressure after." if needs_justification else "",
            taken_at=timezone.now() - ago,
        )

    return _screen
