"""beatbook.common.months: the one home for "YYYY-MM" arithmetic, with the rules the drifted
copies were reconciled to (see the module's docstring)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from beatbook.common.months import (
    MONTH_PATTERN,
    add_months,
    calendar_month,
    check_month,
    is_month,
    month_from_number,
    month_name,
    month_number,
    month_range,
    month_window,
    months_before,
    short_month_name,
)

NOT_MONTHS = [
    "2024-1",  # the month-name filter and the residents' copy took this
    "2024-13",
    "2024-00",
    "24-01",
    "02024-01",
    " 2024-01",
    "2024-01 ",
    "2024-01\n",  # re's "$" matched before a trailing newline
    "٢٠٢٤-01",  # re's "\d" took other scripts' digits
    "2024/01",
    "Jan 2024",  # pandas' Period (the trends' copy) parsed these three
    "2024-01-31",
    "202401",
    "",
]


@pytest.mark.parametrize("month", ["2024-01", "2024-12", "0000-01", "9999-12"])
def test_a_month_is_four_digits_a_hyphen_and_01_to_12(month: str) -> None:
    assert is_month(month)
    assert check_month(month) == month


@pytest.mark.parametrize("value", NOT_MONTHS)
def test_anything_else_is_not_a_month(value: str) -> None:
    assert not is_month(value)
    with pytest.raises(ValueError, match="YYYY-MM"):
        check_month(value)
    with pytest.raises(ValueError, match="YYYY-MM"):
        add_months(value, 1)


@pytest.mark.parametrize("value", [None, 202401, b"2024-01"])
def test_a_value_that_is_not_text_is_not_a_month(value: object) -> None:
    assert not is_month(value)
    with pytest.raises(ValueError, match="YYYY-MM"):
        check_month(value)  # type: ignore[arg-type]


def test_the_error_names_the_field_as_the_forms_show_it() -> None:
    text = "The first month must be a month written YYYY-MM (like 2025-01), not '2025-13'."
    with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
        check_month("2025-13", label="first month")


def test_the_pattern_is_the_one_the_police_api_publishes_and_arrow_matches() -> None:
    assert MONTH_PATTERN == r"^[0-9]{4}-(0[1-9]|1[0-2])$"
    months = pa.array(["2024-01", "2024-13", "2024-1", "2024-01x", "x2024-01", "2024-12"])
    matched = pc.match_substring_regex(months, MONTH_PATTERN).to_pylist()
    assert matched == [True, False, False, False, False, True]


def test_month_numbers_count_consecutively_and_invert() -> None:
    assert month_number("2024-12") + 1 == month_number("2025-01")
    assert month_number("0000-01") == 0
    for month in ["0000-01", "1999-12", "2000-01", "2024-02", "9999-12"]:
        assert month_from_number(month_number(month)) == month


@pytest.mark.parametrize(
    ("month", "shift", "expected"),
    [
        ("2024-12", 1, "2025-01"),  # over a year end
        ("2025-01", -1, "2024-12"),  # back over a year start
        ("2025-03", 0, "2025-03"),
        ("2025-01", -12, "2024-01"),
        ("2025-03", -25, "2023-02"),
        ("2024-06", 18, "2025-12"),
        ("0000-02", -1, "0000-01"),
        ("9999-11", 1, "9999-12"),
    ],
)
def test_adding_months(month: str, shift: int, expected: str) -> None:
    assert add_months(month, shift) == expected


@pytest.mark.parametrize(("month", "shift"), [("0000-01", -1), ("9999-12", 1), ("2025-01", -99999)])
def test_a_shift_past_the_years_yyyy_can_write_is_an_error(month: str, shift: int) -> None:
    with pytest.raises(ValueError, match="outside the years 0000 to 9999"):
        add_months(month, shift)


def test_a_range_runs_from_first_to_last_inclusive() -> None:
    assert month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert month_range("2025-03", "2025-03") == ["2025-03"]
    assert len(month_range("2020-01", "2024-12")) == 60


def test_a_range_whose_first_month_is_after_its_last_is_an_error_not_empty() -> None:
    text = "The first month (2025-02) is after the last (2025-01)."
    with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
        month_range("2025-02", "2025-01")


def test_a_range_checks_both_ends() -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_range("2025-1", "2025-03")
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_range("2025-01", "2025-13")


def test_a_window_is_the_months_ending_with_the_last() -> None:
    assert month_window("2025-02", 3) == ["2024-12", "2025-01", "2025-02"]
    assert month_window("2025-12", 12) == month_range("2025-01", "2025-12")
    # The residents' page compares a year with the year before it.
    assert month_window(add_months("2025-12", -12), 12) == month_range("2024-01", "2024-12")
    assert month_window("2025-02", 1) == ["2025-02"]
    assert month_window("2025-02", 0) == []


def test_a_window_of_negative_length_is_an_error() -> None:
    with pytest.raises(ValueError, match="cannot be -1 long"):
        month_window("2025-02", -1)


def test_calendar_month_and_names() -> None:
    assert [calendar_month(m) for m in ["2024-01", "2024-12", "2025-07"]] == [1, 12, 7]
    assert month_name("2025-01") == "January 2025"
    assert short_month_name("2024-12") == "Dec 2024"
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_name("2025-1")


def test_the_month_name_filter_leaves_anything_but_a_month_as_it_is() -> None:
    from beatbook.ui.templatetags.beatbook_ui import month_name as month_name_filter

    assert month_name_filter("2025-01") == "January 2025"
    # Before, "2025-1" became "January 2025": a malformed value now shows as it is.
    for value in ["2025-1", "2025-13", "", "latest"]:
        assert month_name_filter(value) == value


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2024, 5, 31, 9, 30, tzinfo=UTC), 3, datetime(2024, 2, 29, 9, 30, tzinfo=UTC)),
        (datetime(2025, 5, 31, 9, 30, tzinfo=UTC), 3, datetime(2025, 2, 28, 9, 30, tzinfo=UTC)),
        (datetime(2025, 1, 15, tzinfo=UTC), 1, datetime(2024, 12, 15, tzinfo=UTC)),
        (datetime(2025, 3, 31, tzinfo=UTC), 12, datetime(2024, 3, 31, tzinfo=UTC)),
        (datetime(2024, 12, 31, tzinfo=UTC), -2, datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2025, 7, 4, tzinfo=UTC), 0, datetime(2025, 7, 4, tzinfo=UTC)),
    ],
)
def test_months_before_a_moment_clips_the_day_to_the_month(
    moment: datetime, months: int, expected: datetime
) -> None:
    assert months_before(moment, months) == expected


@pytest.mark.parametrize("raw", ["2026-13", "July2026", "2026-7", "1899-12", "٢٠٢٤-01", ""])
def test_the_police_api_still_answers_a_malformed_month_with_404(raw: str) -> None:
    from beatbook.policeapi.errors import NotFoundError
    from beatbook.policeapi.params import parse_month

    with pytest.raises(NotFoundError, match="date must be a month as YYYY-MM"):
        parse_month(raw)


def test_the_police_api_takes_a_month_or_none() -> None:
    from beatbook.policeapi.params import parse_month

    assert parse_month("1900-01") == "1900-01"
    assert parse_month("2024-06") == "2024-06"
    assert parse_month(None) is None
