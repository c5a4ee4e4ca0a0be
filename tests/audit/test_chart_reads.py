"""Every page that shows a patient's record leaves one access entry on the audit trail.

The test walks the URLconf as the access matrix does: for each page a role may open, it reads
the page and, when a patient of the clinic is named on it, expects exactly one new access
entry; a list or search leaves one entry for the request, with its query, not one per row.
"""

from datetime import timedelta
from html import unescape

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.permissions import ROLE_PERMISSIONS
from clinic.audit import access
from patients.models import Patient
from sessions.models import NeedlingSession, SessionStatus
from tests.factories import (
    AdverseEventFactory,
    NeedlingSessionFactory,
    PatientFactory,
    PlanItemFactory,
    SorenessCheckFactory,
    TriggerPointSiteFactory,
)
from tests.test_access_matrix import GUARDED, url_for

pytestmark = pytest.mark.django_db


def accesses() -> int:
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()


def named_patients(body: str, clinic) -> list[Patient]:
    text = unescape(body)
    return [
        patient
        for patient in Patient.objects.filter(clinic=clinic)
        if patient.mrn in text or patient.full_name in text or patient.last_name + ", " in text
    ]


@pytest.fixture
def clinic_with_care(clinic):
    """A patient with care of every kind, due today, so lists and dashboards name them."""
    session = NeedlingSessionFactory(
        screening__patient__clinic=clinic, started_at=timezone.now() - timedelta(hours=30)
    )
    TriggerPointSiteFactory(session=session)
    NeedlingSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.SIGNED, signed_at=timezone.now() - timedelta(hours=29)
    )
    SorenessCheckFactory(session=session, due_at=timezone.now() - timedelta(hours=1))
    AdverseEventFactory(session=session, escalation=True)
    PlanItemFactory(plan__patient=session.patient)
    return clinic


@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.name)
def test_a_page_that_names_a_patient_leaves_one_access_entry(
    client, clinic_with_care, therapist, clinic_admin, route
):
    url = url_for(route, clinic_with_care)
    for user in (therapist, clinic_admin):
        if route.callback.required_permission not in ROLE_PERMISSIONS[user.role]:
            continue
        client.force_login(user)
        before = accesses()

        response = client.get(url)

        if response.status_code != 200:
            continue
        # A binary download (the consent PDF) is logged by its own service and tested there.
        named = named_patients(response.content.decode(errors="replace"), clinic_with_care)
        if named:
            assert accesses() - before == 1, (
                f"{route.name} shows {named[0]} to a {user.role} but leaves "
                f"{accesses() - before} access entries"
            )


def test_a_patient_search_is_one_entry_with_its_query(therapist_client, clinic):
    PatientFactory.create_batch(3, clinic=clinic, last_name="Quist")

    therapist_client.get(reverse("patients:list"), {"q": "Quist"})

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.additional_data["page"] == access.PATIENT_LIST
    assert entry.additional_data["query"] == {"q": "Quist"}


def test_a_session_note_read_names_the_patient_and_the_page(therapist_client, therapist, clinic):
    session = NeedlingSessionFactory(screening__patient__clinic=clinic)

    therapist_client.get(session.get_absolute_url())

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.object_pk == str(session.patient.pk)
    assert entry.actor == therapist
    assert entry.additional_data["page"] == access.SESSION_NOTE
