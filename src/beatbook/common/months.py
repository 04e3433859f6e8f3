"""Calendar months written "YYYY-MM", as police.uk publishes them: the one home for month
arithmetic (ADR 17).

Before this module, nine copies of these helpers had drifted apart. The rules kept, and why:

- **A month is four ASCII digits, a hyphen and 01 to 12, and nothing else.** "2024-1",
  "2024-13", "24-01", " 2024-01" and "2024-01\\n" are not months. police.uk writes every month
  this way, its API answers anything else with 404, and the OpenAPI description publishes
  :data:`MONTH_PATTERN`. The copies differed: ``re``'s ``\\d`` took other scripts' digits
  ("٢٠٢٤-01") and ``$`` took a trailing newline; the pandas copy in ``analysis.trends`` parsed
  "2024-1", "Jan 2024" and "2024-01-31"; the residents' copy checked nothing; the month-name
  filter took "2024-1". Matching the whole string against ``[0-9]`` closes all of these.
- **A range whose first month is after its last is an error,** not an empty list. The
  forecasts' copy raised; the trends' copy returned ``[]``, which would show a swapped pair as a
  period without crime. Every page that could send a swapped pair already refused it with the
  same message, so no page changes.
- **Arithmetic stays within years 0000 to 9999,** the years "YYYY" can write: a shift past them
  raises instead of writing "-001-12".
- **The error text is the forms' own** ("The first month must be a month written YYYY-MM (like
  2025-01), not '2025-13'."), which pages show as they are.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime

# Capturing group as published in the police API's OpenAPI description; also valid for Arrow's
# RE2 (the ingest matches whole columns with it) and for JSON Schema.
MONTH_FRAGMENT = "[0-9]{4}-(0[1-9]|1[0-2])"
MONTH_PATTERN = f"^{MONTH_FRAGMENT}$"
_MONTH = re.compile(MONTH_FRAGMENT)
_LAST_NUMBER = 10_000 * 12 - 1  # December 9999


def is_month(value: object) -> bool:
    """Whether ``value`` is a month written YYYY-MM."""
    return isinstance(value, str) and _MONTH.fullmatch(value) is not None


def check_month(value: str, *, label: str = "month") -> str:
    """``value`` if it is a YYYY-MM month, else a ValueError naming ``label``."""
    if not is_month(value):
        raise ValueError(
            f"The {label} must be a month written YYYY-MM (like 2025-01), not {value!r}."
        )
    return value


def month_number(month: str) -> int:
    """Months since January of year 0: consecutive months differ by one."""
    check_month(month)
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_from_number(number: int) -> str:
    """The month ``number`` months after January of year 0 (the inverse of month_number)."""
    if not 0 <= number <= _LAST_NUMBER:
        raise ValueError(f"Month number {number} is outside the years 0000 to 9999.")
    year, index = divmod(number, 12)
    return f"{year:04d}-{index + 1:02d}"


def add_months(month: str, months: int) -> str:
    """``month`` moved by ``months`` (negative for earlier): add_months("2025-01", -1) is
    "2024-12"."""
    return month_from_number(month_number(month) + months)


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive, oldest first."""
    start, end = month_number(first), month_number(last)
    if start > end:
        raise ValueError(f"The first month ({first}) is after the last ({last}).")
    return [month_from_number(n) for n in range(start, end + 1)]


def month_window(last: str, length: int) -> list[str]:
    """The ``length`` months ending with ``last``, oldest first."""
    if length < 0:
        raise ValueError(f"A window of months cannot be {length} long.")
    end = month_number(last)
    return [month_from_number(n) for n in range(end - length + 1, end + 1)]


def calendar_month(month: str) -> int:
    """The month of the year, 1 (January) to 12: what a seasonal profile groups by."""
    return month_number(month) % 12 + 1


def month_name(month: str) -> str:
    """``"2025-01"`` as ``"January 2025"``, as pages write a month."""
    return f"{calendar.month_name[calendar_month(month)]} {month[:4]}"


def short_month_name(month: str) -> str:
    """``"2025-01"`` as ``"Jan 2025"``, for chart legends."""
    return f"{calendar.month_abbr[calendar_month(month)]} {month[:4]}"


def months_before(moment: datetime, months: int) -> datetime:
    """The same time ``months`` calendar months earlier, the day clipped to the month's length
    (31 May less 3 months is 28 or 29 February)."""
    year, index = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    last_day = calendar.monthrange(year, index + 1)[1]
    return moment.replace(year=year, month=index + 1, day=min(moment.day, last_day))
