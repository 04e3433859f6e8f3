"""Background tasks: each takes ids and calls one service."""

from __future__ import annotations

from django_tasks import task

from beatbook.enquiries.outbox import SendOutcome, outgoing_email_send


@task()
def outgoing_email_send_task(email_id: int) -> SendOutcome:
    """Send one queued e-mail; a failure is recorded on the row and retried by the sweep."""
    return outgoing_email_send(email_id=email_id)
