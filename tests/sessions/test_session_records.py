import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from sessions.models import NeedlingSession
from sessions.services import needling as services
from tests.builders import session_details, site
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_session_changes_through_the_form_are_audited_and_exported(
    client, therapist, clinic_admin, screen, muscles
):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    session = services.session_record(
        patient=patient,
        therapist=therapist,
        sites=[site(muscles["Soleus"])],
        **session_details(notes="First note."),
    )
    client.force_login(therapist)
    client.post(reverse("treatment_sessions:sign", args=[session.pk]))

    entries = LogEntry.objects.get_for_object(NeedlingSession.objects.get())
    signing = entries.filter(action=LogEntry.Action.UPDATE).get()
    assert signing.actor == therapist
    assert signing.changes_dict["status"] == ["draft", "signed"]

    client.force_login(clinic_admin)
    record = json.loads(client.get(reverse("audit:patient_export", args=[patient.pk])).content)
    [exported] = record["needling_sessions"]
    assert exported["status"] == "Signed"
    assert exported["notes"] == "First note."
    assert exported["sites"][0]["muscle"] == "Soleus"

    page = client.get(reverse("audit:patient", args=[patient.pk])).content.decode()
    assert "Needling of" in page


def test_a_recorded_session_is_of_its_patients_clinic_only(
    therapist, screen, muscles, other_clinic
):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)

    session = services.session_record(
        patient=patient, therapist=therapist, sites=[site(muscles["Soleus"])], **session_details()
    )

    assert session.clinic == patient.clinic
    assert list(NeedlingSession.objects.for_clinic(therapist.clinic)) == [session]
    assert not NeedlingSession.objects.for_clinic(other_clinic).exists()
