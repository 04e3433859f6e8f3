"""Start-up checks for e-mail, run by ``beatbook serve``, ``beatbook demo`` and
``beatbook check --deploy`` (deployment checks: other commands send no e-mail of their own, and
the outbox holds mail for a backend that must not get it, whoever runs it).

- ``beatbook.E201``: ``EMAIL_BACKEND`` prints or throws away residents' e-mail (the console or
  dummy backend): ``serve`` refuses to start.
- ``beatbook.E202``: ``EMAIL_BACKEND`` names nothing that can be imported.
- ``beatbook.W201``: no e-mail is set up (the default): e-mails are kept in the outbox, none
  sent, until it is.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from beatbook.core.checks import BEATBOOK
from beatbook.enquiries.mail import mail_not_set_up, mail_refusal

MAIL_REFUSED = "beatbook.E201"
MAIL_BACKEND_MISSING = "beatbook.E202"
MAIL_NOT_SET_UP = "beatbook.W201"

_SMTP_HINT = (
    "Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST (with "
    "EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and EMAIL_USE_TLS as your mail server "
    "needs): see docs/configuration.md."
)


@register(BEATBOOK, deploy=True)
def check_email_backend(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.EMAIL_BACKEND
    try:
        refusal = mail_refusal()
        not_set_up = mail_not_set_up()
    except ImportError as error:
        return [
            Error(
                f"EMAIL_BACKEND is {backend!r}, which cannot be loaded: {error}",
                hint=_SMTP_HINT,
                id=MAIL_BACKEND_MISSING,
            )
        ]
    if refusal is not None:
        return [
            Error(
                f"EMAIL_BACKEND is {backend!r}: {refusal}.",
                hint=_SMTP_HINT,
                id=MAIL_REFUSED,
            )
        ]
    if not_set_up:
        return [
            Warning(
                "E-mail is not set up: residents' confirmations and answers, and the teams' "
                "notices, are kept in the outbox and not sent until it is.",
                hint=_SMTP_HINT + " What is kept is then sent.",
                id=MAIL_NOT_SET_UP,
            )
        ]
    return []
