"""The worklist serves its rows from the cache (clinic.lib.fragments): every write made through
a service that changes what a row shows shows on the next request, and so does time alone.

Each test opens the worklist first (which caches its rows), writes through the service, and
opens it again."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.outreach.rules import NO_LOG_ALERT_AFTER, PAIN_DURING_ALERT, SELF_REPORTS_SHOWN_FOR
from clinic.outreach.services.answers import check_self_report, plan_self_log
from clinic.outreach.services.delivery import deliveries_queue, delivery_send
from clinic.outreach.services.links import (
    link_issue_for_check,
    link_issue_for_plan,
    link_opened,
    link_revoke,
)
from patients import services as patient_services
from sessions.models import ContactMethod, Exercise
from sessions.rules.followup import CHECK_WINDOW, MISSED_AFTER, escalation_description
from sessions.services import followup as followup_services
from sessions.services import needling as needling_services
from sessions.services import plans as plan_services
from tests.builders import session_details, site
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

WORKLIST = reverse("treatment_sessions:worklist")
# The worklist's badge on a follow-up past its window.
OVERDUE = '<span class="badge text-bg-danger">Overdue</span>'


@pytest.fixture(autouse=True)
def _outboxes(settings):
    settings.NEEDLETRACK_SMS_BACKEND = "clinic.outreach.sms.LocmemSMSBackend"
    settings.NEEDLETRACK_PUBLIC_URL = "https://needletrack.example"


@pytest.fixture
def patient(therapist):
    return PatientFactory(
        clinic=therapist.clinic,
        first_name="Ana",
        last_name="Reyes",
        email="ana@example.org",
        phone="",
        contact_consent=True,
    )


@pytest.fixture
def draft(patient, therapist, screen, muscles):
    screen(patient)
    return needling_services.session_record(
        patient=patient, therapist=therapist, sites=[site(muscles["Soleus"])], **session_details()
    )


@pytest.fixture
def check(draft, therapist):
    """The 24 h follow-up of a session signed through the service."""
    needling_services.session_sign(session=draft, actor=therapist)
    return draft.checks.get(hours_after=24)


@contextmanager
def at(client, user, moment):
    with time_machine.travel(moment):
        client.force_login(user)
        yield


def worklist(client) -> str:
    response = client.get(WORKLIST)
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, check) -> str:
    """The markup of the check's row on the worklist."""
    start = html.index(f'id="check-{check.pk}"')
    end = html.find('id="check-', start + 1)
    return html[start : end if end != -1 else html.index("</section>", start)]


def test_rows_are_served_from_the_cache_until_a_service_writes(
    therapist_client, therapist, patient, check
):
    with at(therapist_client, therapist, check.due_at):
        assert "Ana Reyes" in row(worklist(therapist_client), check)
        # A change written past the services is not seen: the row really is cached.
        type(patient).objects.filter(pk=patient.pk).update(first_name="Zoe")
        assert "Ana Reyes" in row(worklist(therapist_client), check)

        patient_services.patient_update(patient=patient, first_name="Anna")

        assert "Anna Reyes" in row(worklist(therapist_client), check)


def test_a_signed_session_puts_its_follow_ups_on_the_worklist_at_once(
    therapist_client, therapist, draft
):
    with at(therapist_client, therapist, draft.started_at + timedelta(hours=24)):
        assert "Nothing due." in worklist(therapist_client)

        needling_services.session_sign(session=draft, actor=therapist)

        check = draft.checks.get(hours_after=24)
        assert "Soleus" in row(worklist(therapist_client), check)


def test_a_follow_up_recorded_leaves_the_worklist_at_once(therapist_client, therapist, check):
    with at(therapist_client, therapist, check.due_at):
        assert f'id="check-{check.pk}"' in worklist(therapist_client)

        followup_services.soreness_check_record(
            check=check, actor=therapist, method=ContactMethod.PHONE, soreness=1, resolved=False
        )

        assert f'id="check-{check.pk}"' not in worklist(therapist_client)


def test_a_check_missed_by_the_job_shows_at_once(therapist_client, therapist, check):
    with at(therapist_client, therapist, check.due_at + MISSED_AFTER + timedelta(hours=1)):
        assert "Missed: record it late" not in row(worklist(therapist_client), check)

        assert followup_services.followups_mark_missed() >= 1

        assert "Missed: record it late" in row(worklist(therapist_client), check)


def test_an_escalation_and_its_decision_show_at_once(therapist_client, therapist, draft):
    needling_services.session_sign(session=draft, actor=therapist)
    # Soreness this strong escalates after the first day.
    check = draft.checks.get(hours_after=48)
    described = escalation_description(soreness=6, hours_after=check.hours_after)
    with at(therapist_client, therapist, check.due_at):
        assert described not in worklist(therapist_client)

        done = followup_services.soreness_check_record(
            check=check, actor=therapist, method=ContactMethod.PHONE, soreness=6, resolved=False
        )
        html = worklist(therapist_client)
        assert "Escalations to decide" in html
        assert described in html

        followup_services.adverse_event_dismiss(
            event=done.escalation, actor=therapist, reason="Soreness as expected."
        )
        assert described not in worklist(therapist_client)


def test_a_patient_link_sent_opened_revoked_or_answered_shows_on_its_row_at_once(
    therapist_client, therapist, check
):
    with at(therapist_client, therapist, check.due_at):
        assert "No patient link sent." in row(worklist(therapist_client), check)

        issued = link_issue_for_check(check=check, actor=therapist)
        [(delivery, token)] = deliveries_queue(issued=issued)
        assert "email queued" in row(worklist(therapist_client), check)

        delivery_send(delivery_id=delivery, token=token)
        assert "email sent" in row(worklist(therapist_client), check)

        link_opened(link=issued.link)
        assert "email opened" in row(worklist(therapist_client), check)

        link_revoke(link=issued.link, actor=therapist)
        assert "Patient link (revoked)" in row(worklist(therapist_client), check)

        answered = link_issue_for_check(check=check, actor=therapist).link
        warm = worklist(therapist_client)
        assert "Answered by patients" not in warm
        check_self_report(link=answered, soreness=2, resolved=True)
        html = worklist(therapist_client)
        assert f'id="check-{check.pk}"' not in html
        assert "Answered by patients" in html


def test_a_failed_delivery_shows_on_its_row_at_once(therapist_client, therapist, check):
    with at(therapist_client, therapist, check.due_at):
        issued = link_issue_for_check(check=check, actor=therapist)
        [(delivery, token)] = deliveries_queue(issued=issued)
        link_revoke(link=issued.link, actor=therapist)
        assert "failed" not in row(worklist(therapist_client), check)

        delivery_send(delivery_id=delivery, token=token)

        assert "email failed" in row(worklist(therapist_client), check)


def test_a_row_turns_overdue_with_no_write(therapist_client, therapist, check):
    with at(therapist_client, therapist, check.due_at + CHECK_WINDOW - timedelta(minutes=1)):
        assert OVERDUE not in row(worklist(therapist_client), check)
    with at(therapist_client, therapist, check.due_at + CHECK_WINDOW + timedelta(minutes=1)):
        assert OVERDUE in row(worklist(therapist_client), check)


def test_a_live_link_closes_on_its_row_with_no_write(therapist_client, therapist, check):
    link = link_issue_for_check(check=check, actor=therapist).link
    # Overdue on both requests: only the link's expiry tells them apart.
    with at(therapist_client, therapist, link.expires_at - timedelta(minutes=1)):
        html = row(worklist(therapist_client), check)
        assert OVERDUE in html
        assert "Revoke link" in html
    with at(therapist_client, therapist, link.expires_at + timedelta(minutes=1)):
        html = row(worklist(therapist_client), check)
        assert "Patient link (closed)" in html
        assert "Revoke link" not in html


def test_no_form_or_csrf_token_is_in_a_cached_row(therapist_client, therapist, check):
    link = link_issue_for_check(check=check, actor=therapist).link
    with at(therapist_client, therapist, check.due_at):
        worklist(therapist_client)
        html = worklist(therapist_client)

    cached = row(html, check)
    assert "Revoke link" in cached
    assert "<form" not in cached
    assert "csrfmiddlewaretoken" not in cached
    # The row's buttons post the page's own form, which carries the viewer's token.
    assert 'form="check-link-actions"' in cached
    assert reverse("outreach:link_revoke", args=[link.pk]) in cached
    page_form = html[html.index('<form id="check-link-actions"') :]
    assert "csrfmiddlewaretoken" in page_form[: page_form.index("</form>")]


def test_a_self_report_leaves_the_answers_with_no_write(therapist_client, therapist, check):
    link = link_issue_for_check(check=check, actor=therapist).link
    with time_machine.travel(check.due_at):
        done = check_self_report(link=link, soreness=2, resolved=True)
    gone = done.done_at + SELF_REPORTS_SHOWN_FOR
    # Minutes apart: the cache still holds the panels.
    with at(therapist_client, therapist, gone - timedelta(minutes=1)):
        assert "Answered by patients" in worklist(therapist_client)
    with at(therapist_client, therapist, gone + timedelta(minutes=1)):
        assert "Answered by patients" not in worklist(therapist_client)


@pytest.fixture
def plan(therapist, patient, check):
    return plan_services.plan_create(
        patient=patient,
        therapist=therapist,
        sessions=[check.session],
        goal="Walk the dog.",
        start_date=timezone.localdate(),
        review_date=timezone.localdate() + timedelta(weeks=6),
        items=[plan_services.exercise_default_item(Exercise.objects.get(name="Calf raise"))],
    )


def test_a_plan_link_a_week_without_a_log_raises_an_alert_with_no_write(
    therapist_client, therapist, plan
):
    link = link_issue_for_plan(plan=plan, actor=therapist).link
    due = link.created_at + NO_LOG_ALERT_AFTER
    with at(therapist_client, therapist, due - timedelta(minutes=1)):
        assert "Home exercise alerts" not in worklist(therapist_client)
    with at(therapist_client, therapist, due + timedelta(minutes=1)):
        assert "no exercise logged since the plan link was sent" in worklist(therapist_client)


def test_pain_logged_through_a_plan_link_and_the_link_revoked_show_at_once(
    therapist_client, therapist, plan
):
    link = link_issue_for_plan(plan=plan, actor=therapist).link
    assert "Home exercise alerts" not in worklist(therapist_client)

    [item] = plan.items.all()
    log = {"item": item, "sets_done": 3, "rpe": 5, "pain_during": PAIN_DURING_ALERT}
    plan_self_log(link=link, logs=[log])
    assert f"pain during {PAIN_DURING_ALERT}/10" in worklist(therapist_client)

    link_revoke(link=link, actor=therapist)
    assert "Home exercise alerts" not in worklist(therapist_client)
