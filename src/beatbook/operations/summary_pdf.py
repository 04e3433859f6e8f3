"""The printable one-page summary of an operation, as a PDF made by WeasyPrint.

The page is drawn from a template with nothing fetched from anywhere (no fonts, images or
stylesheets by URL: the fetcher allows no protocol). If the text runs over one A4 page it is
drawn again smaller, then without the table of partners; if it still runs over, only the
first page is kept, so the summary is always one page.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint import Document  # type: ignore[import-untyped]

# WeasyPrint logs each step of every render at INFO: a line per page per try, for one PDF.
# Set before it is first imported, which parses its own stylesheets and logs that too.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Each try: the body's font size in points, and whether the table of partners is drawn.
DENSITIES: tuple[tuple[float, bool], ...] = ((11, True), (9, True), (8, False))


def summary_document(context: dict[str, Any]) -> Document:
    """The rendered summary (``document.pages`` has one page); ``context`` is the template's:
    ``figures`` (``OperationFigures``), ``paragraphs`` and ``operation``."""
    # Imported here, not at the top: it takes most of a second, and only this page needs it,
    # so no web worker pays for it before someone asks for a summary.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    document: Document | None = None
    for font_size, partners_table in DENSITIES:
        html = render_to_string(
            "operations/results/summary_pdf.html",
            {**context, "font_size": font_size, "partners_table": partners_table},
        )
        fetcher = URLFetcher(allowed_protocols=())
        document = HTML(string=html, url_fetcher=fetcher).render()
        if len(document.pages) == 1:
            return document
    assert document is not None
    return document.copy(document.pages[:1])


def summary_pdf(context: dict[str, Any]) -> bytes:
    pdf: bytes = summary_document(context).write_pdf()
    return pdf
