"""Template filters for the web pages: months, times, durations and checksums in plain English."""

from __future__ import annotations

import html
import math
from datetime import date, datetime, timedelta
from typing import Any

import nh3
from django import template
from django.forms import BoundField, MultiWidget
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe

from beatbook.common import months
from beatbook.common.policeuk import CRIME_TYPES

register = template.Library()


@register.filter
def month_name(value: str) -> str:
    """``"2025-01"`` as ``"January 2025"``; anything that is not a YYYY-MM month unchanged."""
    return months.month_name(value) if months.is_month(value) else value


def govuk_time(moment: datetime) -> str:
    """A time of day as GOV.UK writes it: "2pm", "2:30pm", "midday", "midnight"."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


# The day part of each style of ``when`` (Django's date format letters).
_DAY_STYLES = {
    "long": "j F Y",
    "medium": "j M Y",
    "short": "j M",
    "day": "l j F",
    "full": "l j F Y",
}


@register.filter
def when(value: datetime | None, style: str | datetime | None = "long") -> str:
    """The one way pages and e-mails write a moment: in UK time, with the time as GOV.UK
    writes it (never "14:00").

    ``"long"`` (the default) is "18 November 2025, 7:41pm"; ``"medium"`` "18 Nov 2025, 7:41pm";
    ``"short"`` "18 Nov, 7:41pm"; ``"day"`` "Tuesday 18 November, 7:41pm"; ``"full"``
    "Tuesday 18 November 2025, 7:41pm"; ``"date"`` "18 November 2025"; ``"time"`` "7:41pm".
    Given an end instead of a style, the span: "Tuesday 3 March 2026, 2pm to 4pm" (the end's
    day is named only when it is another day).
    """
    if value is None:
        return ""
    local = timezone.localtime(value)
    if isinstance(style, datetime):
        return _span(local, timezone.localtime(style))
    if style == "time":
        return govuk_time(local)
    if style == "date":
        return date_format(local, "j F Y")
    return f"{date_format(local, _DAY_STYLES.get(style or 'long', 'j F Y'))}, {govuk_time(local)}"


@register.filter
def iso_day(value: str | None) -> str:
    """A day kept as ISO text (as in a stored agenda), written as pages write days:
    "2026-10-23" is "23 October 2026". Text that is not a day is shown as it is."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return value or ""
    return date_format(day, "j F Y")


def _span(start: datetime, end: datetime) -> str:
    text = f"{date_format(start, 'l j F Y')}, {govuk_time(start)}"
    if end.date() == start.date():
        return f"{text} to {govuk_time(end)}"
    return f"{text} to {date_format(end, 'l j F Y')}, {govuk_time(end)}"


_CATEGORY_NAMES = {slug: name for name, slug in reversed(CRIME_TYPES.items())}


@register.filter
def category_name(slug: str) -> str:
    """A police.uk category's name as police.uk shows it ("violent-crime" is "Violence and
    sexual offences"); anything else unchanged."""
    return _CATEGORY_NAMES.get(slug, slug)


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
def short_text(value: str | None, words: int = 8) -> str:
    """Staff-written HTML as plain text of at most ``words`` words ("…" where cut): tells one
    priority from another in a link's text."""
    text = " ".join(html.unescape(nh3.clean(value or "", tags=set())).split())
    kept = text.split(" ")
    return text if len(kept) <= words else " ".join(kept[:words]) + "…"


@register.inclusion_tag("ui/includes/sample_notice.html")
def sample_notice(*groups: Any) -> dict[str, bool]:
    """One notice for the page when anything it shows is the demo's sample content (a team
    member, priority or event flagged ``sample``; an event may come wrapped, as ``.event``)."""
    rows = (getattr(row, "event", row) for group in groups for row in group or ())
    return {"sample": any(getattr(row, "sample", False) for row in rows)}


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error summary links to: the first box of a date or the first radio button,
    as the GOV.UK pattern asks, else the field's own input."""
    widget = field.field.widget
    grouped = isinstance(widget, MultiWidget) or getattr(widget, "input_type", "") == "radio"
    return f"{field.auto_id}_0" if grouped else str(field.auto_id)
