"""Filters for the workspace: time left against the 72 hours, shares and hours in plain English."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone

register = template.Library()


def _span(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours < 1:
        minutes = max(1, int(delta.total_seconds() // 60))
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    days, hours = divmod(hours, 24)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    return " ".join(parts)


@register.filter
def time_left(due_at: datetime | None) -> str:
    """``"1 day 5 hours left"``, or ``"Overdue by 3 hours"`` once the deadline has passed."""
    if due_at is None:
        return ""
    remaining = due_at - timezone.now()
    if remaining.total_seconds() < 0:
        return f"Overdue by {_span(-remaining)}"
    return f"{_span(remaining)} left"


@register.filter
def percent(share: float | None) -> str:
    """A share as a whole per cent (``0.667`` is ``"67%"``); no share is ``"No data"``."""
    if share is None:
        return "No data"
    return f"{round(share * 100)}%"


@register.filter
def hours(value: float | None) -> str:
    """Hours to answer, rounded: ``"5.5 hours"``; ``"2 days 3 hours"`` from 48 hours."""
    if value is None:
        return "No answers"
    if value < 48:
        shown = f"{value:.1f}".removesuffix(".0")
        return f"{shown} hour{'s' if shown != '1' else ''}"
    return _span(timedelta(hours=value))
