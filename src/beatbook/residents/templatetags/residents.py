"""Filters for the residents' pages: times, changes and contact details as GOV.UK writes them."""

from __future__ import annotations

import re
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def govuk_time(moment: datetime) -> str:
    """GOV.UK's style for times: "2pm", "2:30pm", "midday", "midnight"."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def govuk_date(moment: datetime) -> str:
    """ "Tuesday 3 March 2026" """
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


@register.filter
def when(start: datetime, end: datetime | None = None) -> str:
    """An event's time in UK time: "Tuesday 3 March 2026, 2pm to 4pm"."""
    start = timezone.localtime(start)
    text = f"{govuk_date(start)}, {govuk_time(start)}"
    if end is None:
        return text
    end = timezone.localtime(end)
    if end.date() == start.date():
        return f"{text} to {govuk_time(end)}"
    return f"{text} to {govuk_date(end)}, {govuk_time(end)}"


@register.filter
def day(moment: datetime | None) -> str:
    """A date in UK time: "3 March 2026"."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


@register.filter
def signed(value: int | None) -> str:
    """A change as a resident reads it: "up 3", "down 2", "no change"."""
    if value is None:
        return ""
    if value == 0:
        return "no change"
    return f"up {value:,}" if value > 0 else f"down {-value:,}"


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return ""
    return f"{abs(value):.0f}%"


@register.filter
def rate(value: float | None) -> str:
    return "" if value is None else f"{value:,.1f}"


CHANNEL_NAMES = {
    "email": "Email",
    "telephone": "Telephone",
    "mobile": "Mobile",
    "fax": "Fax",
    "web": "Website",
    "address": "Address",
    "e-messaging": "Online messaging",
}


@register.filter
def channel_name(key: str) -> str:
    return CHANNEL_NAMES.get(key, key.replace("-", " ").capitalize())


@register.filter
def channel_href(value: str, key: str) -> str:
    """The link for a contact channel, or "" where it is not a link (an address, a fax)."""
    value = value.strip()
    if key == "email":
        return f"mailto:{value}"
    if key in {"telephone", "mobile"}:
        return "tel:" + "".join(ch for ch in value if ch.isdigit() or ch == "+")
    if value.startswith(("https://", "http://")):
        return value
    return ""


_WEB_ADDRESS = re.compile(r"https://[^\s<>\"']+[^\s<>\"'.,;:)]")


@register.filter
def with_links(text: str) -> SafeString:
    """Plain text (an online event's joining details) escaped, with each https:// address in
    it made a GOV.UK link."""
    parts: list[str] = []
    last = 0
    for found in _WEB_ADDRESS.finditer(text):
        address = escape(found.group(0))
        parts += [
            escape(text[last : found.start()]),
            f'<a class="govuk-link" href="{address}">{address}</a>',
        ]
        last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
