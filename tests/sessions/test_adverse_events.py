from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from sessions.models import AdverseEvent, AdverseEventType, EventStatus, Severity
from sessions.services import followup as services
from tests.factories import (
    AdverseEventFactory,
    NeedlingSessionFactory,
    PatientFactory,
    ScreeningFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(therapist):
    session = NeedlingSessionFactory(
        screening=ScreeningFactory(
            patient=PatientFactory(clinic=therapist.clinic), therapist=therapist
        ),
        started_at=timezone.now() - timedelta(hours=3),
    )
    TriggerPointSiteFactory(session=session)
    return session


def form_data(**overrides) -> dict:
    data = {
        "event_type": AdverseEventType.BRUISING,
        "severity": Severity.MILD,
        "site": "",
        "onset_at": timezone.localtime(timezone.now() - timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "description": "Bruise 2 cm at the left gluteal site.",
        "action_taken": "Ice and reassurance.",
        "resolved_on": "",
    }
    data.update(overrides)
    return data


def test_therapist_records_an_adverse_event_for_a_site(therapist_client, therapist, session):
    site = session.sites.get()

    response = therapist_client.post(
        reverse("treatment_sessions:adverse_event_create", args=[session.pk]),
        form_data(site=site.pk),
        follow=True,
    )

    event = AdverseEvent.objects.get()
    assert event.status == EventStatus.CONFIRMED
    assert event.site == site
    assert event.reported_by == therapist
    assert "Adverse event recorded: Bruising." in response.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"onset_at": "2000-01-01T10:00"}, services.ONSET_BEFORE_SESSION),
        ({"severity": ""}, "This field is required."),
        ({"event_type": "alien"}, "Select a valid choice."),
        ({"onset_at": "tomorrow"}, "Enter a valid date/time."),
        ({"resolved_on": "1999-12-31"}, services.RESOLVED_BEFORE_ONSET),
    ],
)
def test_bad_adverse_event_input_gets_a_clear_message(therapist_client, session, change, message):
    response = therapist_client.post(
        reverse("treatment_sessions:adverse_event_create", args=[session.pk]), form_data(**change)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AdverseEvent.objects.exists()


def test_cannot_attach_an_event_to_another_clinics_session(
    therapist_client, therapist, other_clinic
):
    theirs = NeedlingSessionFactory(screening__patient__clinic=other_clinic)

    response = therapist_client.post(
        reverse("treatment_sessions:adverse_event_create", args=[theirs.pk]), form_data()
    )
    assert response.status_code == 404
    with pytest.raises(ValidationError, match="your clinic"):
        services.adverse_event_record(
            session=theirs,
            reporter=therapist,
            event_type=AdverseEventType.BRUISING,
            severity=Severity.MILD,
            onset_at=timezone.now(),
            description="x",
        )
    assert not AdverseEvent.objects.exists()


def test_site_must_belong_to_the_session(therapist, session):
    elsewhere = TriggerPointSiteFactory()

    with pytest.raises(ValidationError):
        services.adverse_event_record(
            session=session,
            reporter=therapist,
            event_type=AdverseEventType.BLEEDING,
            severity=Severity.MILD,
            onset_at=timezone.now() - timedelta(hours=1),
            description="x",
            site=elsewhere,
        )


def test_database_keeps_a_pneumothorax_major(session):
    with pytest.raises(IntegrityError):
        AdverseEventFactory(
            session=session, event_type=AdverseEventType.PNEUMOTHORAX, severity=Severity.MODERATE
        )


def test_major_events_are_highlighted_on_the_patient_page_and_admin_dashboard(
    client, therapist, clinic_admin, session
):
    AdverseEventFactory(
        session=session,
        event_type=AdverseEventType.PNEUMOTHORAX,
        severity=Severity.MAJOR,
        referral_made=True,
    )
    AdverseEventFactory(session=session, severity=Severity.MILD)

    client.force_login(therapist)
    patient_page = client.get(session.patient.get_absolute_url()).content.decode()
    client.force_login(clinic_admin)
    dashboard = client.get(reverse("reports:dashboard"))

    assert "⚠ Major adverse event" in patient_page
    assert [e.event_type for e in dashboard.context["major_events"]] == ["pneumothorax"]
    assert "Pneumothorax" in dashboard.content.decode()


def test_escalation_is_confirmed_from_its_page(therapist_client, therapist, session):
    from tests.factories import SorenessCheckFactory

    draft = AdverseEventFactory(
        session=session,
        status=EventStatus.DRAFT,
        severity="",
        event_type=AdverseEventType.PAIN_AFTER,
        escalated_from=SorenessCheckFactory(session=session),
    )

    therapist_client.post(
        reverse("treatment_sessions:adverse_event_confirm", args=[draft.pk]),
        {"confirm-severity": Severity.MODERATE, "confirm-action_taken": "Advised GP review."},
    )

    draft.refresh_from_db()
    assert draft.status == EventStatus.CONFIRMED
    assert draft.severity == Severity.MODERATE
    assert draft.decided_by == therapist


def test_dismissal_without_reason_is_refused(therapist_client, session):
    draft = AdverseEventFactory(session=session, status=EventStatus.DRAFT, severity="")

    response = therapist_client.post(
        reverse("treatment_sessions:adverse_event_dismiss", args=[draft.pk]),
        {"dismiss-reason": ""},
        follow=True,
    )

    assert services.DISMISS_REASON_REQUIRED in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == EventStatus.DRAFT
