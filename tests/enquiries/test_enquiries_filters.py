from __future__ import annotations

from datetime import UTC, datetime, timedelta

from beatbook.enquiries.reference import normalise_reference, reference_new
from beatbook.enquiries.templatetags.enquiries_tags import answer_took, time_left, when

NOW = datetime(2025, 11, 18, 19, 41, tzinfo=UTC)


def test_times_are_written_the_gov_uk_way_in_uk_time() -> None:
    summer = datetime(2025, 7, 1, 8, 5, tzinfo=UTC)  # 9:05am in British Summer Time
    assert when(NOW) == "18 November 2025, 7:41pm"
    assert when(summer) == "1 July 2025, 9:05am"
    assert when(NOW, "short") == "18 Nov, 7:41pm"
    assert when(NOW, "day") == "Tuesday 18 November, 7:41pm"
    assert when(None) == ""


def test_time_left_counts_down_then_up() -> None:
    assert time_left(NOW + timedelta(hours=71, minutes=59), NOW) == "2 days 23 hours left"
    assert time_left(NOW + timedelta(hours=24), NOW) == "1 day left"
    assert time_left(NOW + timedelta(minutes=20), NOW) == "20 minutes left"
    assert time_left(NOW - timedelta(hours=8, minutes=10), NOW) == "8 hours overdue"
    assert answer_took(NOW + timedelta(hours=5), NOW) == "answered in 5 hours"


def test_references_are_readable_and_forgiving_to_type() -> None:
    reference = reference_new()
    assert len(reference) == 11
    assert not set(reference[2:].replace("-", "")) & set("01IL5S8BZO")
    assert normalise_reference(reference.lower().replace("-", " ")) == reference
    assert normalise_reference("q-7k3m-zxav") == "Q-7K3M-2XAV"  # Z is read as 2
    assert normalise_reference("Q-7K3M-2XA") == ""
    assert normalise_reference("Q-OOOO-OOOO") == ""  # letters we never use
    assert len({reference_new() for _ in range(1000)}) == 1000
