import hashlib

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from clinic.outreach.models import PatientLink
from clinic.outreach.rules import (
    CHECK_LINK_LIFETIME_AFTER_DUE,
    LINK_EXPIRED,
    LINK_HITS_PER_ADDRESS,
    TOO_MANY_TRIES,
)
from clinic.outreach.services.links import link_issue_for_plan, link_revoke
from sessions.models import CheckStatus
from sessions.rules.followup import MISSED_AFTER
from sessions.services.followup import followups_mark_missed
from tests.factories import PlanItemFactory, StrengtheningPlanFactory

from .conftest import issue, signed_session


def url(token: str) -> str:
    return reverse("patient_link:open", args=[token])


def answer(client, token: str, **data):
    return client.post(url(token), {"soreness": 2, "resolved": "no", **data})


@pytest.mark.django_db
def test_a_link_stores_only_the_hash_of_its_token(check):
    link, token = issue(check)

    stored = PatientLink.objects.values().get(pk=link.pk)
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(stored)


@pytest.mark.django_db
def test_the_page_shows_first_name_clinic_and_question_only(client, check, patient):
    _, token = issue(check)

    response = client.get(url(token))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ana" in html
    assert patient.clinic.name in html
    assert "How sore is it now?" in html
    for private in (patient.last_name, patient.mrn, patient.email, "Worklist", "Sign out"):
        assert private not in html


@pytest.mark.django_db
def test_a_checks_token_opens_only_that_check(client, patient, check):
    other_check = signed_session(patient, hours_ago=26, muscles=["Piriformis"]).checks.first()
    _, token = issue(check)
    issue(other_check)
    other_site = other_check.session.sites.get()

    response = answer(client, token, sore_sites=[other_site.pk])

    assert "Select a valid choice" in response.content.decode()
    other_check.refresh_from_db()
    check.refresh_from_db()
    assert other_check.status == CheckStatus.SCHEDULED
    assert check.status == CheckStatus.SCHEDULED


@pytest.mark.django_db
def test_a_plan_token_opens_the_plan_never_a_check(client, therapist, patient, check):
    plan = StrengtheningPlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)
    issued = link_issue_for_plan(plan=plan, actor=therapist)

    response = client.get(url(issued.token))

    assert "Log today's exercise" in response.content.decode()
    assert "How sore is it now?" not in response.content.decode()
    assert answer(client, issued.token).status_code == 200
    check.refresh_from_db()
    assert check.status == CheckStatus.SCHEDULED


def assert_expired(response) -> None:
    assert response.status_code == 404
    assert LINK_EXPIRED in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_token_gets_the_expired_page(client, check):
    issue(check)

    assert_expired(client.get(url("not-a-real-token")))


@pytest.mark.django_db
def test_a_link_expires_at_the_end_of_its_checks_late_window(client, check):
    link, token = issue(check)
    assert link.expires_at == check.due_at + CHECK_LINK_LIFETIME_AFTER_DUE

    with time_machine.travel(link.expires_at, tick=False):
        assert_expired(client.get(url(token)))


@pytest.mark.django_db
def test_a_revoked_link_gets_the_expired_page(client, check, therapist):
    link, token = issue(check)

    link_revoke(link=link, actor=therapist)

    assert_expired(client.get(url(token)))


@pytest.mark.django_db
def test_a_link_stops_once_its_check_is_answered(client, check):
    _, token = issue(check)

    assert answer(client, token).status_code == 200

    assert_expired(client.get(url(token)))
    assert_expired(answer(client, token))


@pytest.mark.django_db
def test_a_link_stops_once_its_check_is_marked_missed(client, check):
    _, token = issue(check)

    # Marked missed by a run whose clock is ahead; the link's own expiry is still to come.
    followups_mark_missed(now=check.due_at + MISSED_AFTER)
    check.refresh_from_db()
    assert check.status == CheckStatus.MISSED

    assert_expired(client.get(url(token)))


@pytest.mark.django_db
def test_a_later_checks_link_stops_when_soreness_resolved_closes_it(client, session):
    _, first = issue(session.checks.get(hours_after=24))
    _, later = issue(session.checks.get(hours_after=48))

    client.post(url(first), {"soreness": 0, "resolved": "yes"})

    assert session.checks.get(hours_after=48).status == CheckStatus.CLOSED
    assert_expired(client.get(url(later)))


@pytest.mark.django_db
def test_guessing_tokens_is_throttled_per_address_across_valid_links_too(client, check):
    _, token = issue(check)
    for attempt in range(LINK_HITS_PER_ADDRESS):
        client.get(url(f"guess-{attempt}"))

    refused = client.get(url(token))
    elsewhere = client.get(url(token), REMOTE_ADDR="203.0.113.7")

    assert refused.status_code == 429
    assert TOO_MANY_TRIES in refused.content.decode()
    assert elsewhere.status_code == 200


@pytest.mark.django_db
def test_opening_and_answering_are_audited_as_the_patient_via_the_link(client, check):
    link, token = issue(check)

    client.get(url(token))
    answer(client, token)

    events = LogEntry.objects.get_for_object(link).filter(action=LogEntry.Action.ACCESS)
    assert sorted(e.additional_data["event"] for e in events) == ["answered", "opened"]
    assert all(e.actor is None for e in events)
    recorded = LogEntry.objects.get_for_object(check).latest("timestamp")
    assert recorded.actor is None
    assert recorded.additional_data == {"via_patient_link": link.pk}
