"""Times are written one way everywhere, GOV.UK's ("2pm", "2:30pm", "midday"), by one filter
(``when`` in ``beatbook_ui``): never "14:00" on one page and "2pm" on the next."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from beatbook.enquiries.templatetags import enquiries_tags
from beatbook.residents.templatetags import residents
from beatbook.ui.templatetags.beatbook_ui import when

SOURCE = Path(__file__).resolve().parents[2] / "src" / "beatbook"
# Django's date-format letters that print a time of day.
TIME_LETTERS = set("aAfgGhHiPsu")
DATE_FILTER = re.compile(r"\|\s*date\s*:\s*(['\"])(.*?)\1")


def test_times_are_written_the_gov_uk_way() -> None:
    two_pm = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    half_past = datetime(2026, 3, 3, 14, 30, tzinfo=UTC)
    midday = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    summer = datetime(2025, 7, 1, 8, 5, tzinfo=UTC)  # 9:05am in British Summer Time

    assert when(two_pm) == "3 March 2026, 2pm"
    assert when(half_past, "short") == "3 Mar, 2:30pm"
    assert when(midday, "time") == "midday"
    assert when(summer, "medium") == "1 Jul 2025, 9:05am"
    assert when(two_pm, "day") == "Tuesday 3 March, 2pm"
    assert when(two_pm, "date") == "3 March 2026"
    assert when(datetime(2026, 3, 3, 10, tzinfo=UTC), two_pm) == (
        "Tuesday 3 March 2026, 10am to 2pm"
    )
    assert when(two_pm, datetime(2026, 3, 4, 9, tzinfo=UTC)) == (
        "Tuesday 3 March 2026, 2pm to Wednesday 4 March 2026, 9am"
    )
    assert when(None) == ""


def test_every_library_that_offers_when_offers_the_same_filter() -> None:
    assert enquiries_tags.register.filters["when"] is when
    assert residents.register.filters["when"] is when


def test_no_template_writes_a_time_any_other_way() -> None:
    """A time of day in a template goes through ``when``; ``|date`` is for dates alone
    (and the machine-readable ``'c'`` of a ``<time datetime>``)."""
    offenders = []
    for template in SOURCE.glob("*/templates/**/*"):
        if template.suffix not in {".html", ".txt"}:
            continue
        text = template.read_text(encoding="utf-8")
        for _, pattern in DATE_FILTER.findall(text):
            if pattern != "c" and TIME_LETTERS & set(pattern):
                offenders.append(f"{template.relative_to(SOURCE)}: |date:{pattern!r}")
        if re.search(r"\|\s*time\b", text):
            offenders.append(f"{template.relative_to(SOURCE)}: |time")
    assert offenders == []


def test_a_day_kept_as_iso_text_is_written_as_pages_write_days() -> None:
    from beatbook.ui.templatetags.beatbook_ui import iso_day

    assert iso_day("2026-10-23") == "23 October 2026"
    assert iso_day("") == ""
    assert iso_day(None) == ""
    assert iso_day("not a day") == "not a day"
