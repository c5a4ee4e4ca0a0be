"""The episode page shows its newest outcome-measure link's state with the actions it allows,
and marks the scores the patient entered by link."""

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse

from clinic.outreach.models import LinkState, PatientLink
from clinic.outreach.services.links import link_issue_for_outcomes
from clinic.outreach.views.staff import LINK_REVOKED
from patients.instruments import Instrument, Timepoint
from patients.selectors import SELF_REPORTED
from tests.factories import OutcomeAssessmentFactory, PatientFactory, open_episode

from .test_outcome_link import answers

pytestmark = pytest.mark.django_db

SELF_REPORT_BADGE = "data-self-reported"


@pytest.fixture
def episode(patient):
    return open_episode(patient)


def issue(episode, therapist):
    issued = link_issue_for_outcomes(
        episode=episode,
        actor=therapist,
        timepoint=Timepoint.INTAKE,
        instruments=[Instrument.PSFS, Instrument.NDI],
    )
    return issued.link, reverse("patient_link:open", args=[issued.token])


def page(therapist_client, episode) -> str:
    return therapist_client.get(episode.get_absolute_url()).content.decode()


def revoke_url(link) -> str:
    return reverse("outreach:link_revoke", args=[link.pk])


def shows_state(html: str, state: LinkState) -> bool:
    return f'data-link-state="{state}">{state.label}<' in html


def send_from_the_page(therapist_client, episode, capture):
    data = {"timepoint": Timepoint.INTAKE, "instruments": [Instrument.NDI]}
    with capture(execute=True):
        return therapist_client.post(reverse("outreach:outcome_link_send", args=[episode.pk]), data)


def test_an_episode_without_a_link_says_so(therapist_client, episode):
    html = page(therapist_client, episode)

    assert "No link sent for this episode." in html
    assert "data-link-state" not in html


def test_a_link_not_yet_sent_then_sent(
    therapist_client, episode, therapist, django_capture_on_commit_callbacks
):
    link, _ = issue(episode, therapist)
    html = page(therapist_client, episode)
    assert shows_state(html, LinkState.NOT_SENT)
    assert revoke_url(link) in html

    send_from_the_page(therapist_client, episode, django_capture_on_commit_callbacks)

    html = page(therapist_client, episode)
    assert shows_state(html, LinkState.SENT)
    assert mail.outbox


def test_an_opened_link_then_an_answered_one(therapist_client, episode, therapist):
    link, url = issue(episode, therapist)
    patient_browser = Client()

    patient_browser.get(url)
    html = page(therapist_client, episode)
    assert shows_state(html, LinkState.OPENED)
    assert revoke_url(link) in html

    patient_browser.post(url, answers())
    html = page(therapist_client, episode)
    assert shows_state(html, LinkState.ANSWERED)
    # Answered: it no longer opens, so there is nothing to revoke.
    assert revoke_url(link) not in html


def test_an_expired_link(therapist_client, episode, therapist):
    link, _ = issue(episode, therapist)

    # A week on, the therapist signs in again (the idle session has timed out).
    with time_machine.travel(link.expires_at - timedelta(minutes=1), tick=False):
        therapist_client.force_login(therapist)
        before = page(therapist_client, episode)
    with time_machine.travel(link.expires_at, tick=False):
        therapist_client.force_login(therapist)
        after = page(therapist_client, episode)

    assert shows_state(before, LinkState.NOT_SENT)
    assert revoke_url(link) in before
    assert shows_state(after, LinkState.EXPIRED)
    assert revoke_url(link) not in after


def test_revoking_from_the_episode_page_stops_the_token_and_is_audited(
    therapist_client, episode, therapist
):
    link, url = issue(episode, therapist)

    response = therapist_client.post(revoke_url(link), follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == episode.get_absolute_url()
    assert LINK_REVOKED in html
    assert shows_state(html, LinkState.REVOKED)
    assert revoke_url(link) not in html
    assert Client().get(url).status_code == 404
    entry = LogEntry.objects.get_for_object(link).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == therapist
    assert "revoked_at" in entry.changes_dict


def test_another_clinics_link_cannot_be_revoked(client, episode, therapist, other_clinic_therapist):
    link, url = issue(episode, therapist)
    client.force_login(other_clinic_therapist)

    assert client.post(revoke_url(link)).status_code == 404

    link.refresh_from_db()
    assert link.revoked_at is None
    assert Client().get(url).status_code == 200


def test_sending_a_new_link_replaces_the_one_shown(
    therapist_client, episode, therapist, django_capture_on_commit_callbacks
):
    old, old_url = issue(episode, therapist)
    assert "Send a new link (it replaces this one)" in page(therapist_client, episode)

    send_from_the_page(therapist_client, episode, django_capture_on_commit_callbacks)

    new = PatientLink.objects.filter(episode=episode).exclude(pk=old.pk).get()
    html = page(therapist_client, episode)
    assert shows_state(html, LinkState.SENT)
    assert revoke_url(new) in html
    assert revoke_url(old) not in html
    assert Client().get(old_url).status_code == 404


def test_the_episode_page_shows_only_its_own_newest_link(therapist_client, episode, therapist):
    other = open_episode(
        PatientFactory(clinic=episode.clinic, contact_consent=True, email="carl@example.org")
    )
    theirs, _ = issue(other, therapist)

    html = page(therapist_client, episode)

    assert revoke_url(theirs) not in html
    assert "No link sent for this episode." in html


def test_a_score_entered_by_link_is_marked_self_reported(therapist_client, episode, therapist):
    _, url = issue(episode, therapist)
    Client().post(url, answers())

    for address in (
        episode.get_absolute_url(),
        reverse("patients:episode_summary", args=[episode.pk]),
    ):
        html = therapist_client.get(address).content.decode()
        assert f"{SELF_REPORT_BADGE} " in html
        assert f">{SELF_REPORTED}</span>" in html
    chart = page(therapist_client, episode)
    assert "data-self-reported><title>" in chart
    assert "data-self-report-legend" in chart


def test_a_staff_score_is_not_marked(therapist_client, episode, therapist):
    OutcomeAssessmentFactory(
        episode=episode, instrument=Instrument.NDI, responses=[2, 1, 3, 1, 2, 1, 0, 2, 3, 1]
    )

    for address in (
        episode.get_absolute_url(),
        reverse("patients:episode_summary", args=[episode.pk]),
    ):
        html = therapist_client.get(address).content.decode()
        assert SELF_REPORT_BADGE not in html
        assert SELF_REPORTED not in html
        assert "data-self-report-legend" not in html
