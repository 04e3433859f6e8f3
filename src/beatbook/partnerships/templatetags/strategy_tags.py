"""Template filters for the partnership plan's pages: an indicator's name in plain English,
and a figure written as the pages write numbers."""

from __future__ import annotations

from django import template

from beatbook.analysis.indicator_series import IndicatorError, indicator_label
from beatbook.partnerships.models import OPEN_ACTION_STATUSES, Action

register = template.Library()


@register.filter
def indicator_name(key: str) -> str:
    """``"violent-crime/per_1000"`` as "Violence and sexual offences per 1,000 residents"."""
    try:
        return indicator_label(key)
    except IndicatorError:
        return key


@register.filter
def figure(value: float | None) -> str:
    """A count as a whole number with commas (1,234), a rate to one decimal place (12.3); a
    dash for none."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


@register.filter
def is_overdue(action: Action, today: object) -> bool:
    """Open and due before ``today``."""
    return action.status in OPEN_ACTION_STATUSES and action.due < today  # type: ignore[operator]
