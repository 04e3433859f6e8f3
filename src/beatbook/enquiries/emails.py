"""The e-mails a question sends: to the resident who asked, and to the team that answers.

Each is plain text with an HTML alternative; both come from templates, and the HTML one is
autoescaped, so whatever a resident typed reaches a mail client as text, never as markup.
The team's notification leaves out the resident's name and address: the team reads those on
the question's staff page, behind ``selectors.question_contact_for``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from beatbook.enquiries.models import Question
from beatbook.enquiries.outbox import outgoing_email_queue
from beatbook.teams.models import NeighbourhoodContact


@dataclass(frozen=True)
class _Mail:
    subject: str
    body: str
    html_body: str


def _render(template: str, subject: str, context: dict[str, object]) -> _Mail:
    context = {**context, "subject_line": subject}
    return _Mail(
        subject=subject,
        body=render_to_string(f"enquiries/email/{template}.txt", context),
        html_body=render_to_string(f"enquiries/email/{template}.html", context),
    )


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def status_url(question: Question) -> str:
    return _absolute(reverse("enquiries:status", args=[question.reference]))


def team_email_for(question: Question) -> str:
    """The neighbourhood team's shared e-mail address, or "" if it has none."""
    contact = NeighbourhoodContact.objects.filter(neighbourhood_id=question.neighbourhood_id)
    details = contact.values_list("contact_details", flat=True).first() or {}
    return str(details.get("email", "")).strip()


def question_emails_on_ask(*, question: Question) -> None:
    """Queue the resident's confirmation (if they gave an address) and the team's notice."""
    context = {"question": question, "status_url": status_url(question)}
    if question.email:
        mail = _render(
            "confirmation",
            f"We have your {question.get_kind_display().lower().removeprefix('a ')}: "
            f"{question.reference}",
            context,
        )
        outgoing_email_queue(to=question.email, question=question, **mail.__dict__)
    team_address = team_email_for(question)
    if team_address:
        staff_path = reverse("enquiries:staff-detail", args=[question.reference])
        mail = _render(
            "team_notification",
            f"New {question.kind} for {question.neighbourhood.name}: {question.reference}",
            {**context, "staff_url": _absolute(staff_path)},
        )
        outgoing_email_queue(to=team_address, question=question, **mail.__dict__)


def question_emails_on_answer(*, question: Question) -> None:
    """Queue the answer to the resident, if they gave an address."""
    if not question.email:
        return
    mail = _render(
        "answer",
        f"Your neighbourhood team has answered: {question.reference}",
        {"question": question, "status_url": status_url(question)},
    )
    outgoing_email_queue(to=question.email, question=question, **mail.__dict__)
