"""The approved requests a plan must meet, and their hours as real moments: through midnight,
clipped to the plan's shift, and across the clock changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from beatbook.tasking.models import RequestStatus, TaskingRequest
from beatbook.tasking.request_services import (
    approved_requests_for,
    request_approve,
    request_windows,
)

from .tasking_world_requests import RequestsWorld, build_requests_world, day, make_request

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


def _request(first: date, last: date, opens: time, closes: time) -> TaskingRequest:
    return TaskingRequest(
        first_day=first, last_day=last, hours_from=opens, hours_to=closes, cells=[]
    )


def at(day_: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day_.year, day_.month, day_.day, hour, minute, tzinfo=LONDON)


def test_a_window_through_midnight_runs_into_the_next_morning() -> None:
    first = date(2026, 6, 1)
    found = request_windows(
        _request(first, first + timedelta(days=1), time(22), time(2)),
        at(first, 0),
        at(first + timedelta(days=3), 0),
    )

    assert found == [
        (at(first, 22), at(date(2026, 6, 2), 2)),
        (at(date(2026, 6, 2), 22), at(date(2026, 6, 3), 2)),
    ]


def test_windows_are_clipped_to_the_shift_and_empty_pieces_left_out() -> None:
    first = date(2026, 6, 1)
    request = _request(first, first + timedelta(days=2), time(10), time(14))

    found = request_windows(request, at(date(2026, 6, 2), 12), at(date(2026, 6, 2), 23))

    assert found == [(at(date(2026, 6, 2), 12), at(date(2026, 6, 2), 14))]


def test_the_night_the_clocks_go_forward_is_an_hour_shorter() -> None:
    sunday = date(2026, 3, 29)  # 1am GMT becomes 2am BST
    saturday = sunday - timedelta(days=1)
    found = request_windows(
        _request(saturday, saturday, time(22), time(6)), at(saturday, 0), at(sunday, 12)
    )

    ((start, end),) = found
    assert end - start == timedelta(hours=7)
    assert start == at(saturday, 22)
    assert end == at(sunday, 6)


def test_the_night_the_clocks_go_back_is_an_hour_longer() -> None:
    sunday = date(2026, 10, 25)
    saturday = sunday - timedelta(days=1)
    ((start, end),) = request_windows(
        _request(saturday, saturday, time(22), time(6)), at(saturday, 0), at(sunday, 12)
    )

    assert end - start == timedelta(hours=9)


def test_a_time_the_clocks_skip_is_read_as_the_moment_after() -> None:
    sunday = date(2026, 3, 29)
    ((start, end),) = request_windows(
        _request(sunday, sunday, time(1, 30), time(3)), at(sunday, 0), at(sunday, 12)
    )

    assert start.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 3, 29, 2, tzinfo=UTC)


def test_windows_take_utc_bounds_too() -> None:
    first = date(2026, 7, 1)
    ((start, end),) = request_windows(
        _request(first, first, time(9), time(17)),
        datetime(2026, 7, 1, 7, tzinfo=UTC),  # 8am BST
        datetime(2026, 7, 1, 10, tzinfo=UTC),  # 11am BST
    )

    assert (start, end) == (at(first, 9), at(first, 11))


@pytest.mark.django_db
def test_approved_requests_for_a_shift_are_the_forces_approved_ones_in_it(db: None) -> None:
    world: RequestsWorld = build_requests_world()
    tonight = make_request(world, first_day=day(1), last_day=day(3), urgency="low")
    urgent = make_request(world, first_day=day(1), last_day=day(1), urgency="high")
    waiting = make_request(world, first_day=day(1), last_day=day(3))
    later = make_request(world, first_day=day(10), last_day=day(12))
    for item in (tonight, urgent, later):
        request_approve(user=world.sergeant, request=item)

    # The night shift of tomorrow: 11pm to 7am, holding the 10pm to 2am window's end.
    found = approved_requests_for(
        force=world.staffordshire, starts=at(day(1), 23), ends=at(day(2), 7)
    )
    early = approved_requests_for(
        force=world.staffordshire, starts=at(day(1), 7), ends=at(day(1), 15)
    )
    other_force = approved_requests_for(
        force=world.cheshire, starts=at(day(1), 23), ends=at(day(2), 7)
    )

    assert found == [urgent, tonight]
    assert waiting.status == RequestStatus.SUBMITTED
    assert waiting not in found
    assert early == []  # 10pm to 2am: nothing in an early shift
    assert other_force == []
