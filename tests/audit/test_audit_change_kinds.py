"""The audit page shows every kind of change the audit trail stores."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.audit.selectors import M2M_ADDED, M2M_REMOVED
from patients.models import Patient
from patients.services import patient_update
from sessions.models import ContactMethod, NeedlingSession
from sessions.services.followup import soreness_check_record
from tests.factories import (
    MuscleFactory,
    NeedlingSessionFactory,
    PatientFactory,
    SorenessCheckFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db


def audit_page(client, patient: Patient) -> str:
    response = client.get(reverse("audit:patient", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def check_with_sites(clinic, *muscles: str):
    """A follow-up check of a signed session needled at the given muscles."""
    session = NeedlingSessionFactory(
        screening__patient__clinic=clinic,
        screening__taken_at=timezone.now() - timedelta(days=2),
    )
    sites = [
        TriggerPointSiteFactory(session=session, muscle=MuscleFactory(name=name))
        for name in muscles
    ]
    signed = NeedlingSessionFactory.build(screening=session.screening, signed=True)
    NeedlingSession.objects.filter(pk=session.pk).update(
        status=signed.status, signed_at=signed.signed_at
    )
    session.refresh_from_db()
    return SorenessCheckFactory(session=session), sites


def test_a_follow_up_that_records_a_sore_site_shows_on_the_audit_page(
    admin_client_, clinic, therapist
):
    check, (site,) = check_with_sites(clinic, "Infraspinatus")
    soreness_check_record(
        check=check,
        actor=therapist,
        method=ContactMethod.values[0],
        soreness=2,
        resolved=False,
        sore_sites=[site],
    )

    page = audit_page(admin_client_, check.session.patient)

    assert M2M_ADDED.format(objects=site) in page


def test_sore_sites_removed_show_on_the_audit_page(admin_client_, clinic):
    check, (kept, dropped) = check_with_sites(clinic, "Infraspinatus", "Supraspinatus")
    check.sore_sites.add(kept, dropped)
    check.sore_sites.remove(dropped)

    page = audit_page(admin_client_, check.session.patient)

    assert M2M_ADDED.format(objects=f"{kept}, {dropped}") in page
    assert M2M_REMOVED.format(objects=dropped) in page


def test_sore_sites_cleared_show_on_the_audit_page(admin_client_, clinic):
    check, (site,) = check_with_sites(clinic, "Infraspinatus")
    check.sore_sites.add(site)
    check.sore_sites.clear()

    page = audit_page(admin_client_, check.session.patient)

    assert M2M_REMOVED.format(objects=site) in page


def test_field_changes_show_their_values_before_and_after(admin_client_, clinic):
    patient = PatientFactory(clinic=clinic, phone="0111", archived_at=None)
    patient_update(patient=patient, phone="0222", archived_at=timezone.now())

    page = audit_page(admin_client_, patient)

    assert "0111 → 0222" in page
    assert "Archived at" in page
