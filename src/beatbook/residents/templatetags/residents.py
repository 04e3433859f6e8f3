"""Filters for the residents' pages: times, changes and contact details as GOV.UK writes them."""

from __future__ import annotations

import re
from datetime import datetime

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from beatbook.ui.templatetags.beatbook_ui import when

register = template.Library()


# Times and dates are written one way across the site: ``when`` from ``beatbook_ui``.
register.filter("when", when)


@register.filter
def day(moment: datetime | None) -> str:
    """A date in UK time: "3 March 2026"."""
    return when(moment, "date")


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
