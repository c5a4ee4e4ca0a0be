"""Delayed warning signs of a pneumothorax after a lung-risk site was needled."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sessions.models import (
    AdverseEvent,
    AdverseEventType,
    CheckStatus,
    ContactMethod,
    EventStatus,
    Severity,
    SorenessCheck,
)
from sessions.rules.followup import (
    SEEK_EMERGENCY_CARE,
    WARNING_SIGNS_ASKED,
    WARNING_SIGNS_LEGEND,
    WARNING_SIGNS_REQUIRED,
    WARNING_SIGNS_WITHIN_HOURS,
)
from sessions.services import followup as services
from sessions.services import needling as session_services
from tests.builders import session_details, site
from tests.factories import PatientFactory, SorenessCheckFactory, TriggerPointSiteFactory

pytestmark = pytest.mark.django_db

NO_SIGNS = {"chest_pain": False, "breathlessness": False, "dry_cough": False}


def signed_session(therapist, screen, muscle, *, hours_ago=1):
    patient = PatientFactory(clinic=therapist.clinic, first_name="Lena", last_name="Lungwise")
    screen(patient, ago=timedelta(hours=hours_ago + 1))
    session = session_services.session_record(
        patient=patient,
        therapist=therapist,
        sites=[site(muscle, lung_risk_acknowledged=muscle.lung_risk)],
        **session_details(started_at=timezone.now() - timedelta(hours=hours_ago)),
    )
    return session_services.session_sign(session=session, actor=therapist)


@pytest.fixture
def lung_session(therapist, screen, muscles):
    return signed_session(therapist, screen, muscles["Rhomboids"], hours_ago=25)


def first_check(session) -> SorenessCheck:
    return session.checks.get(hours_after=24)


def record(check, actor, **values):
    defaults = {"method": ContactMethod.PHONE, "soreness": 2, "resolved": False}
    return services.soreness_check_record(check=check, actor=actor, **(defaults | values))


def post_row(client, check, *, htmx=True, **fields):
    prefix = f"check-{check.pk}"
    return client.post(
        reverse("treatment_sessions:followup_record", args=[check.pk]),
        {f"{prefix}-{name}": value for name, value in fields.items()},
        **({"HTTP_HX_REQUEST": "true"} if htmx else {}),
    )


def test_only_lung_risk_sessions_ask_and_only_within_48_hours(therapist, screen, muscles):
    lung = signed_session(therapist, screen, muscles["Rhomboids"])
    hip = signed_session(therapist, screen, muscles["Gluteus medius"])

    asks = {c.hours_after: c.asks_warning_signs for c in lung.checks.all()}
    assert asks == {24: True, 48: True, 72: False}
    assert all(h <= WARNING_SIGNS_WITHIN_HOURS for h, asked in asks.items() if asked)
    assert not hip.checks.filter(asks_warning_signs=True).exists()


def test_missing_answers_are_refused_and_nothing_is_written(lung_session, therapist):
    check = first_check(lung_session)

    with pytest.raises(ValidationError) as refusal:
        record(check, therapist, chest_pain=False, breathlessness=False)

    assert WARNING_SIGNS_REQUIRED in refusal.value.messages
    check.refresh_from_db()
    assert check.status == CheckStatus.SCHEDULED
    assert not AdverseEvent.objects.exists()


def test_the_form_asks_and_refuses_a_row_without_answers(lung_session, therapist_client):
    check = first_check(lung_session)
    row = therapist_client.get(reverse("treatment_sessions:worklist")).content.decode()
    assert WARNING_SIGNS_ASKED in row
    form = therapist_client.get(
        reverse("treatment_sessions:followup_form", args=[check.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert WARNING_SIGNS_LEGEND in form

    response = post_row(therapist_client, check, method=ContactMethod.PHONE, soreness=2)

    assert escape(WARNING_SIGNS_REQUIRED) in response.content.decode()
    check.refresh_from_db()
    assert check.status == CheckStatus.SCHEDULED


def test_a_yes_escalates_at_once_to_one_major_draft_and_says_seek_care(
    lung_session, therapist_client
):
    check = first_check(lung_session)

    response = post_row(
        therapist_client,
        check,
        method=ContactMethod.PHONE,
        soreness=1,
        chest_pain="yes",
        breathlessness="no",
        dry_cough="yes",
    )

    assert escape(SEEK_EMERGENCY_CARE) in response.content.decode()
    event = AdverseEvent.objects.get()
    assert (event.status, event.severity) == (EventStatus.DRAFT, Severity.MAJOR)
    assert event.event_type != AdverseEventType.PNEUMOTHORAX
    assert event.escalated_from == check
    assert "new chest pain, dry cough" in event.description
    check.refresh_from_db()
    assert (check.chest_pain, check.breathlessness, check.dry_cough) == (True, False, True)


def test_without_htmx_the_worklist_tells_to_seek_care(lung_session, therapist_client):
    check = first_check(lung_session)
    fields = {"method": ContactMethod.PHONE, "soreness": 1} | {
        "chest_pain": "no",
        "breathlessness": "yes",
        "dry_cough": "no",
    }

    response = post_row(therapist_client, check, htmx=False, **fields)

    page = therapist_client.get(response.url).content.decode()
    assert escape(SEEK_EMERGENCY_CARE) in page


def test_all_no_creates_no_event(lung_session, therapist):
    record(first_check(lung_session), therapist, **NO_SIGNS)

    assert not AdverseEvent.objects.exists()


def test_soreness_escalation_still_follows_a_warning_signs_escalation(lung_session, therapist):
    record(first_check(lung_session), therapist, **(NO_SIGNS | {"chest_pain": True}))
    later = lung_session.checks.get(hours_after=48)

    record(later, therapist, soreness=6, **NO_SIGNS)

    types = sorted(AdverseEvent.objects.values_list("event_type", flat=True))
    assert types == sorted([AdverseEventType.OTHER, AdverseEventType.PAIN_AFTER])


def test_worklist_and_dashboard_show_the_urgent_escalation_first(
    lung_session, therapist, therapist_client, clinic_admin
):
    record(first_check(lung_session), therapist, **(NO_SIGNS | {"breathlessness": True}))
    event = AdverseEvent.objects.get()
    admin = Client()
    admin.force_login(clinic_admin)

    for client, url in [
        (therapist_client, reverse("treatment_sessions:worklist")),
        (admin, reverse("reports:dashboard")),
    ]:
        page = client.get(url).content.decode()
        alert = page.index('id="urgent-escalations"')
        first_heading = page.index("<h2", page.index("<main"))
        assert page.index("<h2", first_heading) < alert < page.index("</h2>", first_heading)
        assert "Lena Lungwise" in page[alert:]
        assert "breathlessness" in page[alert : alert + 2000]
        assert event.get_absolute_url() in page[alert : alert + 2000]


def test_another_clinic_does_not_see_the_urgent_escalation(
    lung_session, therapist, other_clinic_therapist
):
    record(first_check(lung_session), therapist, **(NO_SIGNS | {"dry_cough": True}))
    client = Client()
    client.force_login(other_clinic_therapist)

    page = client.get(reverse("treatment_sessions:worklist")).content.decode()

    assert "urgent-escalations" not in page
    assert not AdverseEvent.objects.for_clinic(other_clinic_therapist.clinic).urgent_drafts()


def test_the_migration_asks_open_checks_of_lung_risk_sessions_within_48_hours(muscles):
    lung_site = TriggerPointSiteFactory(
        muscle=muscles["Rhomboids"], lung_risk=True, lung_risk_acknowledged=True
    )
    session = lung_site.session
    checks = {
        hours: SorenessCheckFactory(session=session, hours_after=hours) for hours in (24, 48, 72)
    }
    checks[24].status = CheckStatus.MISSED
    checks[24].save()
    hip = SorenessCheckFactory(
        session=TriggerPointSiteFactory(muscle=muscles["Gluteus medius"]).session
    )

    module = import_module("sessions.migrations.0015_soreness_check_warning_signs")
    module.ask_open_checks(apps, None)

    asked = set(SorenessCheck.objects.filter(asks_warning_signs=True).values_list("pk", flat=True))
    assert asked == {checks[24].pk, checks[48].pk}
    assert hip.pk not in asked
