"""Template tags for questions: the time left in the 72 hours, and a page's published answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from beatbook.enquiries.models import Question
from beatbook.enquiries.selectors import published_questions_for
from beatbook.places.models import Neighbourhood

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


@register.filter
def when(value: datetime | None, style: str = "long") -> str:
    """A time as GOV.UK writes it, in UK time: ``"18 November 2025, 7:41pm"``.

    ``"short"`` gives ``"18 Nov, 7:41pm"``; ``"day"`` gives ``"Tuesday 18 November, 7:41pm"``.
    """
    if value is None:
        return ""
    local = timezone.localtime(value)
    day = {"short": "j M", "day": "l j F"}.get(style, "j F Y")
    clock = date_format(local, "g:i") + ("am" if local.hour < 12 else "pm")
    return f"{date_format(local, day)}, {clock}"


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
