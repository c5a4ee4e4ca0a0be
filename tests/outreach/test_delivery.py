import smtplib

import pytest
from django.core import mail
from django.core.management import call_command

from clinic.celery import app
from clinic.outreach import sms
from clinic.outreach.models import Channel, Delivery, DeliveryStatus, PatientLink
from clinic.outreach.rules import DELIVERY_MAX_ATTEMPTS
from clinic.outreach.services.delivery import (
    CHANNEL_WITHDRAWN,
    LINK_NO_LONGER_LIVE,
    deliveries_queue,
    delivery_send,
    due_check_links_send,
)
from clinic.outreach.services.links import link_issue_for_check
from sessions.models import CheckStatus

from .conftest import signed_session


class BrokenEmailBackend:
    """An SMTP server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def statuses() -> dict[str, str]:
    return dict(Delivery.objects.values_list("channel", "status"))


def token_from(body: str) -> str:
    return body.split("/p/")[1].split("/")[0]


@pytest.mark.django_db
def test_the_job_sends_a_due_checks_link_by_email_and_text(check, patient, send_due_links):
    sent = send_due_links()

    assert sent == 2
    [email] = mail.outbox
    assert email.to == [patient.email]
    assert "https://needletrack.example/p/" in email.body
    assert "Ana" in email.body
    assert patient.last_name not in email.body
    [text] = sms.outbox
    assert text["to"] == patient.phone
    assert token_from(text["body"]) == token_from(email.body)
    assert statuses() == {Channel.EMAIL: DeliveryStatus.SENT, Channel.SMS: DeliveryStatus.SENT}


@pytest.mark.django_db
def test_checks_not_yet_due_or_already_sent_are_left_alone(session, send_due_links):
    send_due_links()
    send_due_links()

    assert PatientLink.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_delivery_moves_to_opened_then_answered(client, check, send_due_links):
    send_due_links()
    token = token_from(mail.outbox[0].body)

    client.get(f"/p/{token}/")
    assert set(statuses().values()) == {DeliveryStatus.OPENED}

    client.post(f"/p/{token}/", {"soreness": 1, "resolved": "yes"})
    assert set(statuses().values()) == {DeliveryStatus.ANSWERED}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("opt_outs", "channels"),
    [
        ({"email_opt_out": True}, [Channel.SMS]),
        ({"sms_opt_out": True}, [Channel.EMAIL]),
        ({"email_opt_out": True, "sms_opt_out": True}, []),
        ({"contact_consent": False}, []),
        ({"email": "", "phone": ""}, []),
    ],
)
def test_opt_outs_and_consent_decide_the_channels(
    patient, check, opt_outs, channels, send_due_links
):
    for field, value in opt_outs.items():
        setattr(patient, field, value)
    patient.save()

    send_due_links()

    assert sorted(statuses()) == sorted(channels)
    assert len(mail.outbox) == (Channel.EMAIL in channels)
    assert len(sms.outbox) == (Channel.SMS in channels)
    assert PatientLink.objects.exists() == bool(channels)


@pytest.mark.django_db
def test_a_failed_send_is_retried_with_back_off_and_keeps_its_reason(
    settings, check, send_due_links
):
    settings.EMAIL_BACKEND = "tests.outreach.test_delivery.BrokenEmailBackend"

    send_due_links()

    email = Delivery.objects.get(channel=Channel.EMAIL)
    assert email.status == DeliveryStatus.FAILED
    assert email.attempts == DELIVERY_MAX_ATTEMPTS
    assert "SMTPServerDisconnected" in email.failure_reason
    assert Delivery.objects.get(channel=Channel.SMS).status == DeliveryStatus.SENT


@pytest.mark.django_db
def test_a_later_attempt_that_succeeds_marks_the_delivery_sent(settings, check):
    issued = link_issue_for_check(check=check)
    [(email_id, token), _] = deliveries_queue(issued=issued)
    settings.EMAIL_BACKEND = "tests.outreach.test_delivery.BrokenEmailBackend"
    with pytest.raises(Exception, match="SMTPServerDisconnected"):
        delivery_send(delivery_id=email_id, token=token)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    delivery = delivery_send(delivery_id=email_id, token=token)

    assert (delivery.status, delivery.attempts, delivery.failure_reason) == (
        DeliveryStatus.SENT,
        2,
        "",
    )


@pytest.mark.django_db
def test_nothing_is_sent_after_consent_is_withdrawn_or_the_link_revoked(patient, check, therapist):
    issued = link_issue_for_check(check=check)
    [(email_id, token), (sms_id, _)] = deliveries_queue(issued=issued)
    patient.email_opt_out = True
    patient.save()
    link_issue_for_check(check=check, actor=therapist)  # a resend revokes the first link

    email = delivery_send(delivery_id=email_id, token=token)
    text = delivery_send(delivery_id=sms_id, token=token)

    assert email.failure_reason == LINK_NO_LONGER_LIVE
    assert text.failure_reason == LINK_NO_LONGER_LIVE
    assert not mail.outbox
    assert not sms.outbox


@pytest.mark.django_db
def test_a_withdrawn_channel_is_not_used(patient, check):
    issued = link_issue_for_check(check=check)
    [(email_id, token), _] = deliveries_queue(issued=issued)
    patient.email_opt_out = True
    patient.save()

    assert delivery_send(delivery_id=email_id, token=token).failure_reason == CHANNEL_WITHDRAWN
    assert not mail.outbox


@pytest.mark.django_db
def test_archived_patients_get_no_links(patient, check):
    patient.archived_at = check.due_at
    patient.save()

    assert due_check_links_send() == []


@pytest.mark.django_db
def test_the_cron_command_marks_missed_checks_and_sends_due_links(
    patient, capsys, django_capture_on_commit_callbacks
):
    stale = signed_session(patient, hours_ago=24 * 5).checks.get(hours_after=24)
    signed_session(patient, hours_ago=25)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("outreach_jobs")

    stale.refresh_from_db()
    assert stale.status == CheckStatus.MISSED
    assert len(mail.outbox) == 1
    assert "2 link deliveries queued" in capsys.readouterr().out


def test_every_periodic_job_names_a_registered_task(settings):
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled == {
        "clinic.outreach.tasks.send_due_check_links",
        "clinic.outreach.tasks.mark_missed_followups",
    }
    assert scheduled <= set(app.tasks)
