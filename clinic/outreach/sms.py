"""Text messages through a small pluggable backend, like Django's email backends.

`NEEDLETRACK_SMS_BACKEND` names the class: the console backend (development, the default),
the in-memory outbox (tests) or Twilio (production; `pip install 'needletrack[sms]'`).
"""

import sys

from django.conf import settings
from django.utils.module_loading import import_string


class SMSSendError(Exception):
    """The provider refused or could not take the message; the text says why."""


class BaseSMSBackend:
    def send(self, *, to: str, body: str) -> None:
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    """Writes each message to standard output instead of sending it."""

    def send(self, *, to: str, body: str) -> None:
        sys.stdout.write(f"SMS to {to}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()


# Messages sent through the in-memory backend, newest last (tests read and clear it).
outbox: list[dict[str, str]] = []


class LocmemSMSBackend(BaseSMSBackend):
    def send(self, *, to: str, body: str) -> None:
        outbox.append({"to": to, "body": body})


class TwilioSMSBackend(BaseSMSBackend):
    """Sends through Twilio's Messages API with its official library (the `sms` extra)."""

    def __init__(self) -> None:
        from twilio.rest import Client

        self.client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)

    def send(self, *, to: str, body: str) -> None:
        from twilio.base.exceptions import TwilioException

        try:
            self.client.messages.create(to=to, from_=settings.TWILIO_FROM_NUMBER, body=body)
        except TwilioException as error:
            raise SMSSendError(str(error)) from error


def sms_backend() -> BaseSMSBackend:
    return import_string(settings.NEEDLETRACK_SMS_BACKEND)()
