"""Background jobs: thin wrappers around the services, so every path shares their rules."""

from functools import partial

from celery import shared_task
from django.db import transaction

from sessions.services.followup import followups_mark_missed

from .rules import DELIVERY_FIRST_RETRY_SECONDS, DELIVERY_MAX_ATTEMPTS
from .services.delivery import DeliveryFailed, Pending, delivery_send, due_check_links_send


@shared_task(bind=True, max_retries=DELIVERY_MAX_ATTEMPTS - 1)
def deliver_link(self, delivery_id: int, token: str) -> None:
    """Send one delivery; a failure is retried after 1, 2, 4, 8 minutes."""
    try:
        delivery_send(delivery_id=delivery_id, token=token)
    except DeliveryFailed as error:
        countdown = DELIVERY_FIRST_RETRY_SECONDS * 2**self.request.retries
        raise self.retry(exc=error, countdown=countdown) from error


def deliveries_enqueue(pending: list[Pending]) -> None:
    """Send each delivery in its own job, once the transaction that queued it has committed."""
    for delivery_id, token in pending:
        transaction.on_commit(partial(deliver_link.delay, delivery_id, token))


@shared_task
def send_due_check_links() -> int:
    pending = due_check_links_send()
    deliveries_enqueue(pending)
    return len(pending)


@shared_task
def mark_missed_followups() -> int:
    return followups_mark_missed()
