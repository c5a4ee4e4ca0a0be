import pytest
from django.core.cache import cache
from django.urls import reverse

from clinic.outreach.models import DeliveryStatus
from clinic.outreach.services.links import link_revoke

from .conftest import issue, signed_session

WORKLIST = reverse("treatment_sessions:worklist")


@pytest.mark.django_db
def test_each_due_follow_up_shows_its_links_state_and_actions(therapist_client, therapist, check):
    html = therapist_client.get(WORKLIST).content.decode()
    assert "No patient link sent." in html
    assert "Send link" in html

    link, _ = issue(check)
    link.deliveries.update(status=DeliveryStatus.OPENED, sent_at=check.due_at)
    html = therapist_client.get(WORKLIST).content.decode()
    assert "email opened, text message opened" in html
    assert reverse("outreach:link_revoke", args=[link.pk]) in html

    link_revoke(link=link, actor=therapist)
    html = therapist_client.get(WORKLIST).content.decode()
    assert "Patient link (revoked)" in html
    assert reverse("outreach:link_revoke", args=[link.pk]) not in html


@pytest.mark.django_db
def test_the_worklist_shows_patients_answers(client, therapist_client, check):
    _, token = issue(check)
    client.post(reverse("patient_link:open", args=[token]), {"soreness": 2, "resolved": "no"})

    html = therapist_client.get(WORKLIST).content.decode()

    assert "Answered by patients" in html
    assert "24 h follow-up: soreness 2/10, not gone" in html


@pytest.mark.django_db
def test_link_states_cost_the_same_queries_for_one_or_many_follow_ups(
    therapist_client, patient, check, django_assert_max_num_queries
):
    issue(check)
    therapist_client.get(WORKLIST)
    # Each request renders its rows afresh (a warm row reads nothing of its links).
    cache.clear()
    with django_assert_max_num_queries(30) as one:
        therapist_client.get(WORKLIST)
    for _ in range(4):
        issue(signed_session(patient, hours_ago=25).checks.get(hours_after=24))

    cache.clear()
    with django_assert_max_num_queries(len(one.captured_queries)):
        therapist_client.get(WORKLIST)
