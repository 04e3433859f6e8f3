"""The published partnership plan as a PDF, made by WeasyPrint and tagged for screen readers
(``pdf_tags``: headings, lists and tables carry their structure into the PDF).

WeasyPrint needs the Pango libraries. Where they cannot be loaded, ``plan_pdf`` raises
``PdfUnavailableError`` saying what to install, and the plan's page still works. Nothing is fetched
from anywhere while drawing (the fetcher allows no protocol).
"""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

INSTALL = (
    "WeasyPrint needs the Pango text libraries to make PDFs. On Debian or Ubuntu install them "
    "with: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0. The plan can "
    "still be read and printed from its web page."
)


class PdfUnavailableError(RuntimeError):
    """WeasyPrint (or the system libraries it needs) cannot be loaded here."""


def _weasyprint() -> Any:
    try:
        import weasyprint  # type: ignore[import-untyped]
        from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:
        raise PdfUnavailableError(INSTALL) from error
    return weasyprint, URLFetcher


def plan_pdf(context: dict[str, Any]) -> bytes:
    """The plan (``partnerships/plan_pdf.html`` drawn with ``context``) as tagged PDF bytes."""
    weasyprint, url_fetcher = _weasyprint()
    html = render_to_string("partnerships/plan_pdf.html", context)
    document = weasyprint.HTML(string=html, url_fetcher=url_fetcher(allowed_protocols=()))
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf
