"""Template tags for questions: the time left in the 72 hours, and a page's published answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template

from beatbook.enquiries.models import ANSWER_WITHIN_HOURS, Question
from beatbook.enquiries.selectors import published_questions_for
from beatbook.places.models import Neighbourhood
from beatbook.ui.templatetags.beatbook_ui import when

register = template.Library()

# The neighbourhood page shows the newest answers; older ones stay with their residents.
PUBLISHED_SHOWN = 10


def _hours_and_days(span: timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    if hours < 1:
        minutes = max(1, int(span.total_seconds() // 60))
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    days, rest = divmod(hours, 24)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if rest:
        parts.append(f"{rest} hour{'s' if rest != 1 else ''}")
    return " ".join(parts)


# Times are written one way across the site: ``when`` from ``beatbook_ui``.
register.filter("when", when)


def answer_promise_text(team: str = "") -> str:
    """The Guarantee's promise to a resident, in its one wording: "The team aims to answer
    within 72 hours" ("The Longton neighbourhood team..." given the team's neighbourhood)."""
    who = f"The {team} neighbourhood team" if team else "The team"
    return f"{who} aims to answer within {ANSWER_WITHIN_HOURS} hours"


@register.simple_tag
def answer_promise(team: str = "") -> str:
    """``{% answer_promise %}``: the promise, worded as everywhere else (no full stop)."""
    return answer_promise_text(team)


@register.filter
def time_left(due_at: datetime | None, now: datetime | None) -> str:
    """``"1 day 5 hours left"`` before the deadline, ``"3 hours overdue"`` after it."""
    if due_at is None or now is None:
        return ""
    if due_at >= now:
        return f"{_hours_and_days(due_at - now)} left"
    return f"{_hours_and_days(now - due_at)} overdue"


@register.filter
def answer_took(answered_at: datetime | None, asked_at: datetime | None) -> str:
    """How long an answer took: ``"answered in 5 hours"``."""
    if answered_at is None or asked_at is None:
        return ""
    return f"answered in {_hours_and_days(answered_at - asked_at)}"


@register.simple_tag
def published_questions(
    neighbourhood: Neighbourhood, limit: int = PUBLISHED_SHOWN
) -> list[Question]:
    """The newest published answers for a neighbourhood page, in one query."""
    return list(published_questions_for(neighbourhood=neighbourhood)[:limit])
