"""Calendar months written "YYYY-MM", as police.uk publishes them."""

from __future__ import annotations

import re

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def check_month(value: str, *, label: str = "month") -> str:
    """``value`` if it is a YYYY-MM month, else a ValueError naming ``label``."""
    if not isinstance(value, str) or not _MONTH.match(value):
        raise ValueError(
            f"The {label} must be a month written YYYY-MM (like 2025-01), not {value!r}."
        )
    return value


def month_number(month: str) -> int:
    """Months since year 0: consecutive months differ by one."""
    check_month(month)
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_from_number(number: int) -> str:
    year, index = divmod(number, 12)
    return f"{year:04d}-{index + 1:02d}"


def add_months(month: str, months: int) -> str:
    return month_from_number(month_number(month) + months)


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive."""
    start, end = month_number(first), month_number(last)
    if start > end:
        raise ValueError(f"The first month ({first}) is after the last ({last}).")
    return [month_from_number(n) for n in range(start, end + 1)]
