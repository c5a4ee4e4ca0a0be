import pytest
from django.core.management import call_command

from sessions.models import AdherenceEntry, StrengtheningPlan

pytestmark = pytest.mark.django_db


def test_demo_patients_follow_strengthening_plans_with_adherence():
    call_command("seed_demo", patients=14)

    plans = StrengtheningPlan.objects.active()
    assert plans.exists()
    assert all(plan.sessions.exists() and plan.items.exists() for plan in plans)
    assert AdherenceEntry.objects.exists()
