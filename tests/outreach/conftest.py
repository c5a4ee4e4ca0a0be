from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.outreach import sms, tasks
from clinic.outreach.services.delivery import deliveries_queue
from clinic.outreach.services.links import link_issue_for_check
from sessions.models import NeedlingSession, SessionStatus
from sessions.services.followup import followups_schedule
from tests.factories import (
    MuscleFactory,
    NeedlingSessionFactory,
    PatientFactory,
    TriggerPointSiteFactory,
)


@pytest.fixture(autouse=True)
def _outboxes(settings):
    settings.NEEDLETRACK_SMS_BACKEND = "clinic.outreach.sms.LocmemSMSBackend"
    settings.NEEDLETRACK_PUBLIC_URL = "https://needletrack.example"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def send_due_links(django_capture_on_commit_callbacks):
    """Run the periodic job in this process, its sending jobs once its transaction commits."""

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.send_due_check_links.delay().get()

    return run


@pytest.fixture
def patient(clinic):
    clinic.phone = "01632 960 123"
    clinic.save()
    return PatientFactory(
        clinic=clinic,
        first_name="Ana",
        last_name="Okafor",
        email="ana@example.org",
        phone="+447700900123",
        contact_consent=True,
    )


def signed_session(patient, *, hours_ago: float, muscles=("Gluteus medius",)):
    """A signed session `hours_ago` with one site per muscle and its scheduled checks."""
    started = timezone.now() - timedelta(hours=hours_ago)
    session = NeedlingSessionFactory(
        screening__patient=patient, screening__taken_at=started - timedelta(hours=1)
    )
    for name in muscles:
        muscle = MuscleFactory(name=name)
        TriggerPointSiteFactory(
            session=session,
            muscle=muscle,
            lung_risk=muscle.lung_risk,
            lung_risk_acknowledged=muscle.lung_risk,
        )
    NeedlingSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.SIGNED, signed_at=started + timedelta(minutes=30)
    )
    session.refresh_from_db()
    followups_schedule(session=session)
    return session


@pytest.fixture
def session(patient):
    """Needled 25 hours ago: the 24 h check is due, the 48 and 72 h ones are not."""
    return signed_session(patient, hours_ago=25)


@pytest.fixture
def check(session):
    return session.checks.get(hours_after=24)


def issue(check):
    """A check link as the job makes it: (link, token), its deliveries queued."""
    issued = link_issue_for_check(check=check)
    deliveries_queue(issued=issued)
    return issued.link, issued.token
