"""Template filters for the web pages: months, durations and checksums in plain English."""

from __future__ import annotations

import calendar
import math
from datetime import timedelta

import nh3
from django import template
from django.forms import BoundField, MultiWidget
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def month_name(value: str) -> str:
    """``"2025-01"`` as ``"January 2025"``; anything else unchanged."""
    year, _, month = (value or "").partition("-")
    if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        return value
    return f"{calendar.month_name[int(month)]} {year}"


@register.filter
def seconds(value: float | None) -> str:
    """A duration in seconds, short: ``"0.4 s"``, ``"12 s"``, ``"3 min 5 s"``."""
    if value is None:
        return ""
    if value < 10:
        return f"{value:.1f} s"
    if value < 60:
        return f"{value:.0f} s"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest} s"


@register.filter
def basename(value: str) -> str:
    """The last part of a path, whichever separator it uses."""
    return (value or "").replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


@register.filter
def short_checksum(value: str) -> str:
    return (value or "")[:12]


@register.filter
def in_minutes(value: timedelta | None) -> str:
    """A lock-out period as ``"15 minutes"`` (rounded up to whole minutes)."""
    if value is None:
        return ""
    minutes = max(1, math.ceil(value.total_seconds() / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, param: str, number: int) -> str:
    """The current query string with ``param`` set to ``number``: other lists keep their page."""
    params = context["request"].GET.copy()
    params[param] = str(number)
    return f"?{params.urlencode()}"


# What staff may use in the fields police.uk publishes as HTML (bios, priorities, events):
# paragraphs, lists, emphasis and links; never scripts, styles or event handlers.
ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


@register.filter
def clean_html(value: str | None) -> SafeString:
    """Staff-written HTML with everything but simple formatting and links removed."""
    cleaned = nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just removed everything unsafe


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error summary links to: the first box of a date or the first radio button,
    as the GOV.UK pattern asks, else the field's own input."""
    widget = field.field.widget
    grouped = isinstance(widget, MultiWidget) or getattr(widget, "input_type", "") == "radio"
    return f"{field.auto_id}_0" if grouped else str(field.auto_id)
