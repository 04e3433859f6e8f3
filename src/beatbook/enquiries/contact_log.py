"""The record of who was shown, or refused, residents' contact details: its only writer.

Each row (``ContactDetailAccess``) says who asked, when, from which address and browser, for
which question (or outbox e-mail), why, and whether they were shown the details or refused.
The table is append-only in the database itself (see the model), so nothing written here can
be changed or removed afterwards.

``Requester`` is what the record keeps of a request; ``requester_from(request)`` makes one.
Callers record *after* they know the outcome: a page records "shown" in the same transaction
as it is made, so a page that fails, a HEAD request (no page) or an answer that was not saved
leaves no "shown" behind; a refusal is recorded before the refusal is answered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest

from beatbook.accounts.models import User
from beatbook.core.clients import client_address
from beatbook.enquiries.models import (
    ContactAccessOutcome,
    ContactDetailAccess,
    ContactPurpose,
    OutgoingEmail,
    Question,
)
from beatbook.enquiries.reference import normalise_reference

_USER_AGENT_MAX = ContactDetailAccess._meta.get_field("user_agent").max_length or 300
# Control characters (a NUL above all, which PostgreSQL cannot store) never reach the record.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Requester:
    """Who asked and from where: what the record keeps of one request."""

    user: User
    address: str = ""
    user_agent: str = ""


def requester_from(request: HttpRequest) -> Requester:
    """The signed-in user of ``request``, the address it came from and its User-Agent."""
    user = request.user
    assert isinstance(user, User)  # only signed-in people are recorded
    agent = _CONTROL.sub("", str(request.META.get("HTTP_USER_AGENT", "")))
    address = _CONTROL.sub("", client_address(request))
    return Requester(user=user, address=address, user_agent=agent[:_USER_AGENT_MAX])


def _row(
    requester: Requester,
    *,
    purpose: ContactPurpose,
    outcome: ContactAccessOutcome,
    question_id: int | None = None,
    outgoing_email_id: int | None = None,
) -> ContactDetailAccess:
    return ContactDetailAccess(
        user=requester.user,
        question_id=question_id,
        outgoing_email_id=outgoing_email_id,
        purpose=ContactPurpose(purpose),  # an unknown purpose fails here, before any write
        outcome=outcome,
        address=requester.address,
        user_agent=requester.user_agent,
    )


def contact_shown_record(
    *, requester: Requester, question: Question, purpose: ContactPurpose
) -> ContactDetailAccess:
    """Record that ``requester`` was shown the contact details of ``question``."""
    row = _row(
        requester, purpose=purpose, outcome=ContactAccessOutcome.SHOWN, question_id=question.pk
    )
    row.save()
    return row


def contact_refusal_record(
    *, requester: Requester, purpose: ContactPurpose, question_id: int | None = None
) -> ContactDetailAccess:
    """Record that ``requester`` asked for contact details (of ``question_id``, if one) and
    was refused."""
    row = _row(
        requester, purpose=purpose, outcome=ContactAccessOutcome.REFUSED, question_id=question_id
    )
    row.save()
    return row


def contact_refusal_record_for_reference(
    *, requester: Requester, reference: str, purpose: ContactPurpose
) -> None:
    """Record a refusal for the question a reference names; nothing when no question has it
    (no resident's details were at stake)."""
    question_id = (
        Question.objects.filter(reference=normalise_reference(reference))
        .values_list("pk", flat=True)
        .first()
    )
    if question_id is not None:
        contact_refusal_record(requester=requester, purpose=purpose, question_id=question_id)


def outbox_shown_record(*, requester: Requester, emails: Iterable[OutgoingEmail]) -> int:
    """Record that ``requester`` was shown the address of each of ``emails`` (the outbox).

    One row per e-mail, written together; returns how many."""
    rows = [
        _row(
            requester,
            purpose=ContactPurpose.OUTBOX,
            outcome=ContactAccessOutcome.SHOWN,
            question_id=email.question_id,
            outgoing_email_id=email.pk,
        )
        for email in emails
    ]
    ContactDetailAccess.objects.bulk_create(rows)
    return len(rows)
