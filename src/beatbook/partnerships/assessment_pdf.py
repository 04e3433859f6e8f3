"""The strategic assessment as a PDF, tagged for screen readers (PDF/UA-1), made by WeasyPrint
from the same standalone page as the HTML report.

WeasyPrint needs the Pango system libraries. Where they are missing the HTML report still works,
and asking for the PDF raises ``AssessmentPdfError`` saying what to install. Nothing is
fetched (the fetcher allows no protocol), and the document carries no date of its own, so the
same data gives the same bytes.
"""

from __future__ import annotations

import logging

from beatbook.partnerships.assessment_data import AssessmentData
from beatbook.partnerships.assessment_report import assessment_html

# WeasyPrint logs each step of every render at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_VARIANT = "pdf/ua-1"  # PDF/UA-1: tagged structure, language and title for screen readers
INSTALL_HINT = (
    "The PDF needs WeasyPrint and the Pango libraries it draws text with. On Debian or Ubuntu: "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 (and pip install weasyprint). "
    "The HTML report works without them: use --output report.html."
)


class AssessmentPdfError(RuntimeError):
    """WeasyPrint or its system libraries are missing."""


def assessment_pdf(data: AssessmentData) -> bytes:
    try:
        # Imported here: it takes most of a second, and fails without Pango.
        from weasyprint import HTML  # type: ignore[import-untyped]
        from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:
        raise AssessmentPdfError(f"{INSTALL_HINT} ({error})") from None
    html = HTML(string=assessment_html(data), url_fetcher=URLFetcher(allowed_protocols=()))
    # The file identifier is a digest of the file itself, not random.
    pdf: bytes = html.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=True)
    return pdf
