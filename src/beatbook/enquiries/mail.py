"""Whether residents' e-mail may go to the mail backend that ``EMAIL_BACKEND`` names.

Residents' e-mails carry their address, their question and the team's answer. Two of
Django's own backends must never get them: the console backend prints every message to the
server's log (outside the contact-detail record, and nothing is delivered), and the dummy
backend throws every message away while counting it as sent. With either, the outbox keeps
the e-mails (``mail_held``) and ``beatbook serve`` refuses to start (``checks``).

The default is ``HoldBackend``: e-mail is not set up, so the outbox keeps every e-mail,
prints nothing and sends nothing until a real backend is configured; then the worker's
sweep sends what was kept. ``beatbook serve`` warns about it at start-up, the staff page
says how many are waiting, and administrators can read them on the outbox page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.dummy import EmailBackend as DummyBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.utils.module_loading import import_string

HOLD_BACKEND = "beatbook.enquiries.mail.HoldBackend"


class MailNotSetUpError(Exception):
    """Something tried to send an e-mail while e-mail is not set up."""


class HoldBackend(BaseEmailBackend):
    """No e-mail is set up: send nothing and print nothing.

    The outbox never calls it (``mail_held`` keeps the e-mails instead); anything else that
    tries to send through it fails loudly, with no address or text in the error.
    """

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise MailNotSetUpError(
            f"E-mail is not set up (EMAIL_BACKEND is {HOLD_BACKEND}): "
            f"{len(email_messages)} message(s) not sent."
        )


def _backend_class() -> type[Any]:
    backend: type[Any] = import_string(settings.EMAIL_BACKEND)
    return backend


def mail_refusal() -> str | None:
    """Why the configured backend must never get residents' e-mail, or None if it may.

    Raises ``ImportError`` when ``EMAIL_BACKEND`` names nothing that can be imported."""
    backend = _backend_class()
    if issubclass(backend, ConsoleBackend) and not issubclass(backend, FileBackend):
        return (
            "it prints every e-mail (residents' addresses, questions and answers) to the "
            "server's log, and delivers none"
        )
    if issubclass(backend, DummyBackend):
        return "it throws every e-mail away while counting it as sent"
    return None


def mail_not_set_up() -> bool:
    """Whether ``EMAIL_BACKEND`` is the default that sends nothing (``HoldBackend``)."""
    return issubclass(_backend_class(), HoldBackend)


def mail_held() -> bool:
    """Whether the outbox keeps e-mails instead of sending them: no mail set up, or a backend
    that must not get residents' e-mail. An unloadable backend is not "held": sending fails,
    and the failure is recorded and retried like any other."""
    try:
        return mail_not_set_up() or mail_refusal() is not None
    except ImportError:
        return False
