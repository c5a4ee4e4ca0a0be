import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from clinic.outreach.models import PatientLink
from clinic.outreach.rules import LINK_EXPIRED, NO_CONSENT
from clinic.outreach.views.staff import LINK_REVOKED, LINK_SENT
from tests.factories import PlanItemFactory, StrengtheningPlanFactory


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def token_in(body: str) -> str:
    return body.split("/p/")[1].split("/")[0]


@pytest.fixture
def send(therapist_client, django_capture_on_commit_callbacks):
    def _send(check):
        with django_capture_on_commit_callbacks(execute=True):
            return therapist_client.post(reverse("outreach:check_link_send", args=[check.pk]))

    return _send


@pytest.mark.django_db
def test_a_therapist_resends_a_checks_link_and_the_old_one_stops(client, send, check):
    send(check)
    first = token_in(mail.outbox[0].body)

    response = send(check)

    sent = LINK_SENT.format(name="Ana Okafor", channels="email and text message")
    assert sent in messages_of(response)
    second = token_in(mail.outbox[1].body)
    assert LINK_EXPIRED in client.get(f"/p/{first}/").content.decode()
    assert client.get(f"/p/{second}/").status_code == 200


@pytest.mark.django_db
def test_no_link_is_sent_without_consent(send, patient, check):
    patient.contact_consent = False
    patient.save()

    response = send(check)

    assert NO_CONSENT in messages_of(response)
    assert not PatientLink.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_a_therapist_revokes_a_link(client, therapist_client, send, check):
    send(check)
    link = PatientLink.objects.get()

    response = therapist_client.post(reverse("outreach:link_revoke", args=[link.pk]))

    assert LINK_REVOKED in messages_of(response)
    assert client.get(f"/p/{token_in(mail.outbox[0].body)}/").status_code == 404


@pytest.mark.django_db
def test_a_therapist_sends_the_plan_link(
    therapist_client, therapist, patient, django_capture_on_commit_callbacks
):
    plan = StrengtheningPlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)

    with django_capture_on_commit_callbacks(execute=True):
        response = therapist_client.post(reverse("outreach:plan_link_send", args=[plan.pk]))

    assert response.url == plan.get_absolute_url()
    assert mail.outbox[0].subject == "Riverside: your home exercises"
