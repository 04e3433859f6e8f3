"""The e-mail outbox: write a row in the caller's transaction, send it after commit, retry.

``outgoing_email_queue`` adds a row and, once the transaction commits, enqueues the background
task that sends it; if the transaction rolls back, neither the row nor the task exists. The
task claims the row with a conditional UPDATE (so a concurrent sweep cannot send it twice),
sends it through Django's mail settings, and marks it sent; a failure is recorded and the row
waits ``retry_delay(attempts)`` before the sweep (``outgoing_emails_send_due``, run by
``beatbook worker`` and ``beatbook send-emails``) tries again. A crash at any point leaves a
pending row that the sweep sends once its lease has run out: at least once, never lost.

While e-mail is not set up, or ``EMAIL_BACKEND`` must not get residents' e-mail (see
``beatbook.enquiries.mail``), nothing is claimed or sent: e-mails stay pending ("held") and go
once a real backend is configured. A failure is logged and recorded with every e-mail address
in its message replaced, so no resident's address reaches the log.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from beatbook.enquiries.mail import mail_held
from beatbook.enquiries.models import OutgoingEmail, OutgoingEmailStatus, Question

logger = logging.getLogger(__name__)

# A sender that crashed mid-send holds its claim this long; then the sweep may try again.
CLAIM_LEASE = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
# Twenty tries over about three days; after that a person must look (the admin can resend).
MOST_ATTEMPTS = 20

SendOutcome = Literal["sent", "failed", "not due", "held"]

# Anything shaped like an e-mail address, in an error message (an SMTP refusal names them).
_ADDRESS = re.compile(r"[^\s@<>'\"(),;:\[\]{}]+@[^\s@<>'\"(),;:\[\]{}]+")


@dataclass(frozen=True)
class SweepSummary:
    sent: int
    failed: int
    held: int = 0

    def __str__(self) -> str:
        if self.held:
            return (
                f"E-mail is not set up (EMAIL_BACKEND): {self.held} e-mail(s) kept in the "
                "outbox, none sent."
            )
        return f"Sent {self.sent} e-mail(s); {self.failed} failed and will be tried again."


def failure_description(error: BaseException) -> str:
    """What went wrong, for the log and the outbox, with no e-mail address in it."""
    return _ADDRESS.sub("[address]", f"{type(error).__name__}: {error}")[:2000]


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: doubling from a minute, to 6 hours."""
    return min(FIRST_RETRY * (1 << min(max(attempts - 1, 0), 20)), LONGEST_RETRY)


def outgoing_email_queue(
    *, to: str, subject: str, body: str, html_body: str = "", question: Question | None = None
) -> OutgoingEmail:
    """Add an e-mail to the outbox, to be sent once the current transaction commits."""
    email = OutgoingEmail.objects.create(
        to=to,
        subject=" ".join(subject.split()),  # one line: a header cannot carry a line break
        body=body,
        html_body=html_body,
        question=question,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int) -> None:
    from beatbook.enquiries.tasks import outgoing_email_send_task

    try:
        outgoing_email_send_task.enqueue(email_id=email_id)
    except Exception:  # the row is committed: the sweep sends it if the queue is unavailable
        logger.exception("Could not queue e-mail %s; the sweep will send it", email_id)


def _claim(email_id: int, now: datetime) -> OutgoingEmail | None:
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=OutgoingEmailStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + CLAIM_LEASE, attempts=F("attempts") + 1)
    if claimed != 1:
        return None
    return OutgoingEmail.objects.get(pk=email_id)


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=email.subject, body=email.body, to=[email.to])
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    return message


def _record_failure(email: OutgoingEmail, error: Exception, now: datetime) -> None:
    gave_up = email.attempts >= MOST_ATTEMPTS
    description = failure_description(error)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmailStatus.FAILED if gave_up else OutgoingEmailStatus.PENDING,
        last_error=description,
        next_attempt_at=now + retry_delay(email.attempts),
    )
    log = logger.error if gave_up else logger.warning
    log("E-mail %s failed (attempt %s): %s", email.pk, email.attempts, description)


def outgoing_email_send(*, email_id: int, now: datetime | None = None) -> SendOutcome:
    """Send one e-mail if it is pending and due (and no one else is sending it); keep it
    ("held") while e-mail is not set up."""
    if mail_held():
        return "held"
    moment = now or timezone.now()
    email = _claim(email_id, moment)
    if email is None:
        return "not due"
    try:
        _message(email).send()
    except Exception as error:  # any mail backend failure: SMTP, DNS, a refused connection
        _record_failure(email, error, moment)
        return "failed"
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def outgoing_emails_send_due(*, now: datetime | None = None, limit: int = 200) -> SweepSummary:
    """Send every pending e-mail whose time has come (the periodic sweep)."""
    moment = now or timezone.now()
    due = OutgoingEmail.objects.filter(
        status=OutgoingEmailStatus.PENDING, next_attempt_at__lte=moment
    ).values_list("pk", flat=True)
    if mail_held():
        return SweepSummary(sent=0, failed=0, held=due.count())
    due = due[:limit]
    outcomes = [outgoing_email_send(email_id=email_id, now=moment) for email_id in list(due)]
    return SweepSummary(sent=outcomes.count("sent"), failed=outcomes.count("failed"))


def outgoing_email_retry(*, email: OutgoingEmail) -> None:
    """Put a failed e-mail back in the queue, with its attempts counted afresh."""
    OutgoingEmail.objects.filter(pk=email.pk).exclude(status=OutgoingEmailStatus.SENT).update(
        status=OutgoingEmailStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )


def outgoing_emails_held() -> int:
    """How many e-mails wait in the outbox because e-mail is not set up (0 when it is)."""
    if not mail_held():
        return 0
    return OutgoingEmail.objects.filter(status=OutgoingEmailStatus.PENDING).count()
