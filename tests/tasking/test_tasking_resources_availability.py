"""The hours officers are free to be planned (``officers_available``, which the planner reads)
and the share of neighbourhood hours abstracted per team and week (the Guarantee page's)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from beatbook.tasking import resources, rosters
from beatbook.tasking.models import Unit
from beatbook.tasking.shifts import LONDON

from .tasking_world_resources import MONDAY, PASSWORD, ResourcesWorld, build_resources_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> ResourcesWorld:
    return build_resources_world()


def at(day_offset: int, hour: int) -> datetime:
    day = MONDAY + timedelta(days=day_offset)
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def _free(world: ResourcesWorld, starts: datetime, ends: datetime, unit: str = Unit.NTT) -> dict:
    found = rosters.officers_available(
        force=world.staffordshire, starts=starts, ends=ends, unit=unit
    )
    return {officer.collar_number: intervals for officer, intervals in found}


def test_duties_are_clipped_to_the_window_and_joined_where_they_meet(
    world: ResourcesWorld,
) -> None:
    rosters.duty_add(officer=world.ntt_pc, kind=world.kinds["late"], day=MONDAY)
    rosters.duty_add(officer=world.ntt_pc, kind=world.kinds["night"], day=MONDAY)
    rosters.duty_add(officer=world.stafford_pc, kind=world.kinds["early"], day=MONDAY)
    rosters.duty_add(officer=world.longton_pc, kind=world.kinds["late"], day=MONDAY)

    free = _free(world, at(0, 18), at(1, 3))

    # The late and night shifts meet at 11pm: one stretch, cut to the window at both ends.
    assert free == {"4521": [(at(0, 18), at(1, 3))]}
    assert list(_free(world, at(0, 0), at(1, 0), Unit.NPT)) == ["3100"]


def test_abstracted_hours_come_off_the_start_of_the_days_first_duty(
    world: ResourcesWorld,
) -> None:
    rosters.duty_add(officer=world.longton_pc, kind=world.kinds["early"], day=MONDAY)
    rosters.duty_add(officer=world.meir_pc, kind=world.kinds["early"], day=MONDAY)
    rosters.abstraction_record(
        officer=world.longton_pc, day=MONDAY, reason="training", hours=Decimal("2.5")
    )
    rosters.abstraction_record(
        officer=world.meir_pc, day=MONDAY, reason="sickness", hours=Decimal(8)
    )

    free = _free(world, at(0, 0), at(1, 0), Unit.NPT)

    assert free == {"3100": [(at(0, 9) + timedelta(minutes=30), at(0, 15))]}


def test_the_abstraction_is_taken_from_the_first_duty_even_outside_the_window(
    world: ResourcesWorld,
) -> None:
    rosters.duty_add(officer=world.longton_pc, kind=world.kinds["early"], day=MONDAY)
    rosters.duty_add(officer=world.longton_pc, kind=world.kinds["late"], day=MONDAY)
    rosters.abstraction_record(
        officer=world.longton_pc, day=MONDAY, reason="custody", hours=Decimal(10)
    )

    # Eight hours take the whole early shift; the other two come off the late's start.
    free = _free(world, at(0, 15), at(0, 23), Unit.NPT)

    assert free == {"3100": [(at(0, 17), at(0, 23))]}


def test_officers_who_have_left_or_are_of_another_team_are_not_available(
    world: ResourcesWorld,
) -> None:
    rosters.duty_add(officer=world.ntt_pc, kind=world.kinds["early"], day=MONDAY)
    rosters.duty_add(officer=world.meir_pc, kind=world.kinds["early"], day=MONDAY)
    world.ntt_pc.active = False
    world.ntt_pc.save()

    assert _free(world, at(0, 0), at(1, 0)) == {}
    only_longton = rosters.officers_available(
        force=world.staffordshire,
        starts=at(0, 0),
        ends=at(1, 0),
        unit=Unit.NPT,
        neighbourhood=world.longton,
    )
    assert only_longton == []


# --- The share abstracted --------------------------------------------------------------------


def test_the_share_is_abstracted_hours_over_rostered_hours_per_team_and_week(
    world: ResourcesWorld,
) -> None:
    weeks = [MONDAY, MONDAY + timedelta(days=7)]
    rosters.roster_add(
        officers=[world.longton_pc],
        kind=world.kinds["early"],
        first_day=MONDAY,
        last_day=MONDAY + timedelta(days=4),
    )  # five eight-hour days: 40 hours in the first week
    rosters.abstraction_record(
        officer=world.longton_pc, day=MONDAY, reason="response_cover", hours=Decimal(8)
    )
    rosters.abstraction_record(
        officer=world.longton_pc, day=MONDAY + timedelta(1), reason="sickness", hours=Decimal(2)
    )
    # A sick day in the second week, when no duties are on the rota.
    rosters.abstraction_record(
        officer=world.longton_pc, day=MONDAY + timedelta(8), reason="sickness", hours=Decimal(8)
    )
    # The tasking team's duties and other forces' are not neighbourhood hours.
    rosters.duty_add(officer=world.ntt_pc, kind=world.kinds["early"], day=MONDAY)

    rows = rosters.abstraction_shares(
        neighbourhoods=[world.longton, world.meir, world.crewe], weeks=weeks
    )

    assert [(r.neighbourhood_name, r.week_label) for r in rows] == [
        ("Longton", "2026-W10"),
        ("Longton", "2026-W11"),
    ]
    first, second = rows
    assert (first.duty_hours, first.abstracted_hours, first.share) == (
        Decimal(40),
        Decimal(10),
        0.25,
    )
    assert first.reasons == [("Response cover", Decimal(8)), ("Sickness", Decimal(2))]
    assert (second.duty_hours, second.abstracted_hours, second.share) == (
        Decimal(0),
        Decimal(8),
        None,
    )


def test_a_team_with_duties_but_no_abstractions_shows_none_abstracted(
    world: ResourcesWorld,
) -> None:
    rosters.duty_add(officer=world.meir_pc, kind=world.kinds["night"], day=MONDAY)
    [row] = rosters.abstraction_shares(neighbourhoods=[world.meir], weeks=[MONDAY])
    assert (row.duty_hours, row.abstracted_hours, row.share, row.reasons) == (
        Decimal(8),
        Decimal(0),
        0.0,
        [],
    )
    assert rosters.abstraction_shares(neighbourhoods=[world.longton], weeks=[MONDAY]) == []


def test_recent_weeks_are_mondays_ending_with_this_one() -> None:
    weeks = rosters.recent_weeks(count=3, today=MONDAY + timedelta(days=2))
    assert weeks == [MONDAY - timedelta(days=14), MONDAY - timedelta(days=7), MONDAY]


def test_the_guarantee_page_shows_each_teams_share_and_the_hours_behind_it(
    world: ResourcesWorld,
) -> None:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    rosters.roster_add(
        officers=[world.longton_pc], kind=world.kinds["early"], first_day=monday, last_day=monday
    )
    rosters.abstraction_record(
        officer=world.longton_pc, day=monday, reason="events", hours=Decimal(2)
    )
    rosters.abstraction_record(
        officer=world.meir_pc, day=monday - timedelta(7), reason="sickness", hours=Decimal(4)
    )
    client = Client()
    client.login(username="insp", password=PASSWORD)

    page = client.get("/staff/guarantee/").content.decode()

    assert "Neighbourhood hours abstracted" in page
    assert "25%" in page  # Longton: 2 of 8 hours
    assert "Events: 2" in page
    assert "Meir" not in page  # not a neighbourhood the inspector works in
    resources.link_officer_set(neighbourhood=world.longton, officer=world.ntt_pc)
    client.force_login(world.meir_officer)
    page = client.get("/staff/guarantee/").content.decode()
    assert "No duty hours recorded" in page
    assert "No duty hours are recorded for these weeks" in page


def test_the_guarantee_page_says_plainly_when_nothing_is_recorded(world: ResourcesWorld) -> None:
    client = Client()
    client.force_login(world.longton_officer)
    page = client.get("/staff/guarantee/").content.decode()
    assert "No duty hours or abstractions are recorded" in page
    assert "/staff/tasking/abstractions/" in page
    client.force_login(world.analyst)
    page = client.get("/staff/guarantee/").content.decode()
    assert "/staff/tasking/abstractions/" not in page  # not a page an analyst may open
