"""Plain text with paragraphs for staff, stored as the simple HTML police.uk publishes.

Staff type paragraphs separated by a blank line; those who want a link or emphasis may type the
few tags the ``clean_html`` filter keeps. Text with only paragraphs and line breaks goes back to
plain text for editing, so nobody meets ``<p>`` unless they wrote some other tag themselves.
"""

from __future__ import annotations

import html
import re

# The tags clean_html keeps: typed on purpose, they mean the staff member wrote HTML.
_HTML_TAG = re.compile(r"</?\s*(p|br|ul|ol|li|strong|em|b|i|a)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]+>")
_PLAIN_TAG = re.compile(r"^</?\s*(p|br)\s*/?\s*>$", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def text_to_html(text: str) -> str:
    """Paragraphs of plain text as ``<p>`` elements (escaped); text that is HTML unchanged."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text or _HTML_TAG.search(text):
        return text
    paragraphs = [part.strip() for part in _BLANK_LINES.split(text) if part.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip()) for line in part.split("\n")) + "</p>"
        for part in paragraphs
    )


def html_to_text(value: str) -> str:
    """Stored HTML back as plain paragraphs, if it holds nothing but paragraphs and line breaks."""
    tags = _ANY_TAG.findall(value)
    if not tags or not all(_PLAIN_TAG.match(tag) for tag in tags):
        return value if tags else html.unescape(value)
    text = re.sub(r"<br\s*/?\s*>", "\n", value, flags=re.IGNORECASE)
    text = re.sub(r"</p\s*>\s*<p\s*>", "\n\n", text, flags=re.IGNORECASE)
    text = _ANY_TAG.sub("", text)
    return html.unescape(text).strip()
