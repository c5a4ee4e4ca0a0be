"""Sending links: which checks are due a link, one delivery per channel, and its outcome.

Jobs (`clinic/outreach/tasks.py`) and the `outreach_jobs` command call these; a delivery's
token travels only from the issuing job to the sending job, never into the database.
"""

import smtplib
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinic.audit.events import as_one_event
from patients.services.versions import record_version_bump
from sessions.models import SorenessCheck

from ..models import Channel, Delivery, DeliveryStatus, LinkPurpose, PatientLink
from ..rules import CHECK_LINK_LIFETIME_AFTER_DUE
from ..sms import SMSSendError, sms_backend
from .links import IssuedLink, contact_channels, link_for_token, link_issue_for_check

LINK_NO_LONGER_LIVE = "The link was revoked, expired or used before it could be sent."
CHANNEL_WITHDRAWN = "The patient withdrew consent or opted out of this channel."

# The message templates of each link purpose (outreach/messages/<kind>_*.txt).
MESSAGE_KIND = {
    LinkPurpose.SORENESS_CHECK: "check",
    LinkPurpose.PLAN: "plan",
    LinkPurpose.OUTCOME_MEASURE: "outcome",
}

# (delivery id, token): what a sending job needs.
Pending = tuple[int, str]


class DeliveryFailed(Exception):
    """A send failed in a way a later attempt may fix (the provider or network)."""


def link_url(token: str) -> str:
    return settings.NEEDLETRACK_PUBLIC_URL.rstrip("/") + reverse("patient_link:open", args=[token])


@transaction.atomic
def deliveries_queue(*, issued: IssuedLink) -> list[Pending]:
    """One queued delivery per channel the patient may be sent links by."""
    pending = []
    for channel, address in contact_channels(issued.link.patient):
        delivery = Delivery(link=issued.link, channel=channel, address=address)
        delivery.full_clean()
        delivery.save()
        pending.append((delivery.pk, issued.token))
    record_version_bump(issued.link.patient_id)
    return pending


def due_checks(now: datetime):
    """Scheduled checks now due, whose link would still work, never sent, to consenting
    patients still in care."""
    return (
        SorenessCheck.objects.scheduled()
        .filter(
            due_at__lte=now,
            due_at__gt=now - CHECK_LINK_LIFETIME_AFTER_DUE,
            session__patient__contact_consent=True,
            session__patient__archived_at__isnull=True,
        )
        .exclude(Exists(PatientLink.objects.filter(soreness_check=OuterRef("pk"))))
        .order_by("due_at", "pk")
    )


@as_one_event
def due_check_links_send(*, now: datetime | None = None) -> list[Pending]:
    """Issue a link for every due check and queue its deliveries (the periodic job)."""
    pending = []
    for check in due_checks(now or timezone.now()):
        try:
            issued = link_issue_for_check(check=check)
        except ValidationError:  # no usable channel: the therapist calls instead
            continue
        pending.extend(deliveries_queue(issued=issued))
    return pending


def _message(link: PatientLink, token: str, channel: str) -> tuple[str, str]:
    kind = MESSAGE_KIND[link.purpose]
    context = {
        "first_name": link.patient.first_name,
        "clinic": link.clinic,
        "url": link_url(token),
        "expires_at": link.expires_at,
    }
    # Times in the message are the clinic's, as on its pages.
    with timezone.override(link.clinic.zone):
        subject = render_to_string(f"outreach/messages/{kind}_subject.txt", context).strip()
        body = render_to_string(f"outreach/messages/{kind}_{channel}.txt", context)
    return subject, body


@transaction.atomic
def _save(delivery: Delivery) -> Delivery:
    """Save a delivery's new state, shown on the patient's cached worklist row."""
    delivery.full_clean()
    delivery.save()
    record_version_bump(delivery.link.patient_id)
    return delivery


def _fail(delivery: Delivery, reason: str) -> Delivery:
    delivery.status = DeliveryStatus.FAILED
    delivery.failure_reason = reason[:300] or "Unknown error."
    return _save(delivery)


@as_one_event
def delivery_send(*, delivery_id: int, token: str) -> Delivery:
    """Send one queued (or earlier failed) delivery; raises DeliveryFailed to be retried."""
    delivery = Delivery.objects.select_related("link__patient", "link__clinic").get(pk=delivery_id)
    if delivery.status not in (DeliveryStatus.QUEUED, DeliveryStatus.FAILED):
        return delivery  # a job run twice sends once
    link = delivery.link
    delivery.attempts += 1
    live = link_for_token(token)
    if live is None or live.pk != link.pk:
        return _fail(delivery, LINK_NO_LONGER_LIVE)
    if (delivery.channel, delivery.address) not in contact_channels(link.patient):
        return _fail(delivery, CHANNEL_WITHDRAWN)
    subject, body = _message(link, token, delivery.channel)
    try:
        if delivery.channel == Channel.EMAIL:
            send_mail(subject, body, None, [delivery.address])
        else:
            sms_backend().send(to=delivery.address, body=body)
    except (OSError, smtplib.SMTPException, SMSSendError) as error:
        _fail(delivery, f"{type(error).__name__}: {error}")
        raise DeliveryFailed(delivery.failure_reason) from error
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.failure_reason = ""
    return _save(delivery)
