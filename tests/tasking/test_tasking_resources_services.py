"""Tasking's resource services: stations, officers, link officers, duties, rosters and
abstractions. Every refusal names the field and what to do, and changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beatbook.tasking import resources, rosters
from beatbook.tasking.models import Abstraction, Duty, LinkOfficer, Officer, Rank, Station, Unit
from beatbook.tasking.resources import OfficerDetails
from beatbook.tasking.shifts import LONDON

from .tasking_world_resources import MONDAY, ResourcesWorld, build_resources_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> ResourcesWorld:
    return build_resources_world()


def _refused(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def _details(world: ResourcesWorld, **changes: Any) -> OfficerDetails:
    fields: dict[str, Any] = {
        "collar_number": "4700",
        "name": "Kofi Mensah",
        "rank": Rank.CONSTABLE,
        "unit": Unit.NTT,
        "station": world.longton_station,
    }
    fields.update(changes)
    return OfficerDetails(**fields)


# --- Stations and officers --------------------------------------------------------------------


def test_a_station_name_is_once_per_force_and_its_place_in_great_britain(
    world: ResourcesWorld,
) -> None:
    errors = _refused(
        resources.station_create,
        force=world.staffordshire,
        name=" longton ",
        latitude=2.13,
        longitude=52.98,
    )
    assert errors == {
        "name": ["Staffordshire Police already has a station called longton"],
        "latitude": ["Enter a latitude in Great Britain, between 49.8 and 60.9"],
        "longitude": ["Enter a longitude in Great Britain, between -8.7 and 1.8"],
    }
    assert Station.objects.count() == 3
    # Cheshire may have a station of the same name as one of Staffordshire's.
    made = resources.station_create(
        force=world.cheshire, name="Longton", latitude=53.1, longitude=-2.4, postcode="cw1 2ab"
    )
    assert made.postcode == "CW1 2AB"


def test_an_officer_is_checked_whole_before_anything_is_saved(world: ResourcesWorld) -> None:
    before = Officer.objects.count()
    errors = _refused(
        resources.officer_create,
        force=world.staffordshire,
        details=_details(
            world,
            collar_number="4521",
            unit=Unit.NPT,
            neighbourhood=None,
            station=world.crewe_station,
            user=world.sergeant,
        ),
    )
    assert errors == {
        "collar_number": ["4521 is already Priya Shah's collar number"],
        "neighbourhood": ["Select the neighbourhood of the officer's team"],
        "station": ["Select a station of Staffordshire Police"],
        "user": ["That account is already Sam Reid's (S100)"],
    }
    assert Officer.objects.count() == before


def test_a_neighbourhood_officer_belongs_to_a_neighbourhood_of_their_own_force(
    world: ResourcesWorld,
) -> None:
    errors = _refused(
        resources.officer_create,
        force=world.staffordshire,
        details=_details(world, unit=Unit.NPT, neighbourhood=world.crewe),
    )
    assert errors == {"neighbourhood": ["Select a neighbourhood of Staffordshire Police"]}
    errors = _refused(
        resources.officer_create,
        force=world.staffordshire,
        details=_details(world, neighbourhood=world.longton),
    )
    assert errors == {
        "neighbourhood": ["Only a neighbourhood team officer has a neighbourhood: leave it empty"]
    }


def test_collar_numbers_are_once_per_force_whatever_their_case(world: ResourcesWorld) -> None:
    made = resources.officer_create(
        force=world.staffordshire, details=_details(world, collar_number=" ab12 ")
    )
    assert made.collar_number == "AB12"
    errors = _refused(
        resources.officer_create,
        force=world.staffordshire,
        details=_details(world, collar_number="Ab12", name="Other"),
    )
    assert errors == {"collar_number": ["AB12 is already Kofi Mensah's collar number"]}
    # The same number in another force is another officer.
    resources.officer_create(
        force=world.cheshire,
        details=_details(world, collar_number="AB12", station=world.crewe_station),
    )


def test_an_officer_is_changed_with_their_skills(world: ResourcesWorld) -> None:
    details = _details(world, collar_number="4521", name="Priya Shah-Jones", skills=[])
    resources.officer_update(officer=world.ntt_pc, details=details)
    world.ntt_pc.refresh_from_db()
    assert world.ntt_pc.name == "Priya Shah-Jones"
    assert not world.ntt_pc.skills.exists()


def test_an_officer_who_leaves_comes_off_the_rota_from_now_on(world: ResourcesWorld) -> None:
    today = timezone.localdate()
    past = rosters.duty_add(
        officer=world.ntt_pc, kind=world.kinds["early"], day=today - timedelta(days=3)
    )
    rosters.duty_add(officer=world.ntt_pc, kind=world.kinds["early"], day=today + timedelta(2))

    resources.officer_deactivate(officer=world.ntt_pc)

    assert list(world.ntt_pc.duties.all()) == [past]
    assert not world.ntt_pc.active
    errors = _refused(
        rosters.duty_add, officer=world.ntt_pc, kind=world.kinds["late"], day=today + timedelta(3)
    )
    assert errors == {"officer": ["Priya Shah has left, so cannot be put on the rota"]}


def test_a_link_officer_must_be_replaced_before_they_leave_or_change_team(
    world: ResourcesWorld,
) -> None:
    resources.link_officer_set(neighbourhood=world.longton, officer=world.ntt_pc)
    with pytest.raises(ValidationError, match="link officer for Longton"):
        resources.officer_deactivate(officer=world.ntt_pc)
    errors = _refused(
        resources.officer_update,
        officer=world.ntt_pc,
        details=_details(world, collar_number="4521", unit=Unit.RESPONSE),
    )
    assert list(errors) == ["unit"]
    world.ntt_pc.refresh_from_db()
    assert world.ntt_pc.active
    assert world.ntt_pc.unit == Unit.NTT


# --- Link officers ---------------------------------------------------------------------------


def test_a_link_is_a_serving_tasking_team_officer_of_the_same_force(
    world: ResourcesWorld,
) -> None:
    assert _refused(
        resources.link_officer_set, neighbourhood=world.longton, officer=world.longton_pc
    ) == {"officer": ["Select an officer of the neighbourhood tasking team"]}
    assert _refused(
        resources.link_officer_set, neighbourhood=world.longton, officer=world.crewe_pc
    ) == {"officer": ["Select an officer of Staffordshire Police"]}
    assert _refused(
        resources.link_officer_set,
        neighbourhood=world.longton,
        officer=world.ntt_pc,
        commander=world.meir_officer,
    ) == {"commander": ["Select a neighbourhood inspector of Longton, or nobody"]}
    assert not LinkOfficer.objects.exists()

    link = resources.link_officer_set(
        neighbourhood=world.longton, officer=world.ntt_pc, commander=world.longton_inspector
    )
    again = resources.link_officer_set(neighbourhood=world.longton, officer=world.stafford_pc)

    assert again.pk == link.pk
    assert (again.officer, again.commander) == (world.stafford_pc, None)
    resources.link_officer_remove(neighbourhood=world.longton)
    assert not LinkOfficer.objects.exists()


# --- Duties and rosters ----------------------------------------------------------------------


def test_a_duty_takes_the_forces_shift_times_in_london(world: ResourcesWorld) -> None:
    night = rosters.duty_add(officer=world.ntt_pc, kind=world.kinds["night"], day=MONDAY)
    assert night.starts == datetime(2026, 3, 2, 23, tzinfo=LONDON)
    assert night.ends == datetime(2026, 3, 3, 7, tzinfo=LONDON)
    # Across the clocks going forward, a night shift is an hour shorter.
    spring = rosters.duty_add(
        officer=world.ntt_pc, kind=world.kinds["night"], day=MONDAY.replace(day=28)
    )
    spring.refresh_from_db()  # in UTC: Python subtracts two London times as wall-clock times
    assert spring.ends - spring.starts == timedelta(hours=7)


def test_overlapping_or_double_duties_are_refused(world: ResourcesWorld) -> None:
    rosters.duty_add(officer=world.ntt_pc, kind=world.kinds["night"], day=MONDAY)
    assert _refused(
        rosters.duty_add, officer=world.ntt_pc, kind=world.kinds["night"], day=MONDAY
    ) == {"officer": ["Priya Shah is already on the night shift on Monday 2 March 2026"]}
    # The night runs into Tuesday morning: Tuesday's early shift would start before it ends...
    kind = world.kinds["early"]
    kind.starts = kind.starts.replace(hour=6)
    kind.save()
    assert _refused(
        rosters.duty_add, officer=world.ntt_pc, kind=kind, day=MONDAY + timedelta(days=1)
    ) == {
        "officer": [
            "Priya Shah is on the night shift from Monday 2 March 2026, which overlaps the "
            "early shift on Tuesday 3 March 2026"
        ]
    }
    # ...but shifts that only meet (a late, then the night) are fine.
    rosters.duty_add(officer=world.ntt_pc, kind=world.kinds["late"], day=MONDAY)
    assert Duty.objects.filter(officer=world.ntt_pc).count() == 2


def test_a_duty_on_another_forces_shift_is_refused(world: ResourcesWorld) -> None:
    cheshire_early = world.cheshire.shift_kinds.get(slug="early")
    assert _refused(rosters.duty_add, officer=world.ntt_pc, kind=cheshire_early, day=MONDAY) == {
        "officer": ["The early shift is another force's"]
    }


def test_a_roster_puts_officers_on_chosen_weekdays_and_keeps_what_is_there(
    world: ResourcesWorld,
) -> None:
    rosters.duty_add(officer=world.ntt_pc, kind=world.kinds["early"], day=MONDAY)
    made = rosters.roster_add(
        officers=[world.ntt_pc, world.stafford_pc],
        kind=world.kinds["early"],
        first_day=MONDAY,
        last_day=MONDAY + timedelta(days=13),
        weekdays=[0, 2, 4],
    )
    assert made == rosters.RosterResult(made=11, already_on=1)
    days = set(Duty.objects.filter(officer=world.stafford_pc).values_list("date", flat=True))
    assert {d.weekday() for d in days} == {0, 2, 4}
    assert len(days) == 6


def test_a_roster_with_any_clash_makes_nothing_and_names_the_clash(
    world: ResourcesWorld,
) -> None:
    rosters.duty_add(officer=world.stafford_pc, kind=world.kinds["late"], day=MONDAY + timedelta(3))
    kind = world.kinds["early"]
    kind.ends = kind.ends.replace(hour=16)  # a long early shift runs into the late
    kind.save()
    before = Duty.objects.count()
    errors = _refused(
        rosters.roster_add,
        officers=[world.ntt_pc, world.stafford_pc],
        kind=kind,
        first_day=MONDAY,
        last_day=MONDAY + timedelta(days=6),
    )
    assert errors == {
        "officers": [
            "Tom Hale is on the late shift from Thursday 5 March 2026, which overlaps the "
            "early shift on Thursday 5 March 2026"
        ]
    }
    assert Duty.objects.count() == before


def test_a_roster_is_for_some_officers_on_some_days(world: ResourcesWorld) -> None:
    errors = _refused(
        rosters.roster_add,
        officers=[],
        kind=world.kinds["early"],
        first_day=MONDAY,
        last_day=MONDAY - timedelta(days=1),
        weekdays=[],
    )
    assert errors == {
        "officers": ["Select at least one officer"],
        "last_day": ["The last day must be the same as or after the first day"],
        "weekdays": ["Select at least one day of the week"],
    }
    errors = _refused(
        rosters.roster_add,
        officers=[world.ntt_pc],
        kind=world.kinds["early"],
        first_day=MONDAY,
        last_day=MONDAY + timedelta(days=rosters.ROSTER_MAX_DAYS),
    )
    assert errors == {"last_day": ["Put officers on at most 62 days at once"]}


# --- Abstractions ----------------------------------------------------------------------------


def test_abstractions_are_for_neighbourhood_officers_only(world: ResourcesWorld) -> None:
    errors = _refused(
        rosters.abstraction_record,
        officer=world.ntt_pc,
        day=MONDAY,
        reason="holiday",
        hours=Decimal(0),
    )
    assert errors == {
        "officer": [
            "Priya Shah is not on a neighbourhood team: only neighbourhood officers' "
            "abstractions are recorded"
        ],
        "reason": ["Select why the officer was taken away"],
        "hours": ["Enter the hours taken away, more than 0, like 4 or 2.5"],
    }
    assert not Abstraction.objects.exists()


def test_abstracted_hours_fit_the_officers_duty_that_day(world: ResourcesWorld) -> None:
    rosters.duty_add(officer=world.longton_pc, kind=world.kinds["early"], day=MONDAY)
    rosters.abstraction_record(
        officer=world.longton_pc, day=MONDAY, reason="response_cover", hours=Decimal("5.5")
    )
    errors = _refused(
        rosters.abstraction_record,
        officer=world.longton_pc,
        day=MONDAY,
        reason="custody",
        hours=Decimal(3),
    )
    assert errors == {
        "hours": [
            "Jo Bloggs has 8 hours on duty on Monday 2 March 2026 and 5.5 hours are already "
            "recorded: enter 2.5 hours or fewer"
        ]
    }
    rosters.abstraction_record(
        officer=world.longton_pc, day=MONDAY, reason="custody", hours=Decimal("2.5")
    )
    assert Abstraction.objects.count() == 2


def test_without_a_duty_an_abstraction_is_at_most_a_day(world: ResourcesWorld) -> None:
    errors = _refused(
        rosters.abstraction_record,
        officer=world.meir_pc,
        day=MONDAY,
        reason="sickness",
        hours=Decimal("24.5"),
    )
    assert errors == {
        "hours": [
            "Ade Okafor has 24 hours in a day on Monday 2 March 2026: enter 24 hours or fewer"
        ]
    }
    errors = _refused(
        rosters.abstraction_record,
        officer=world.meir_pc,
        day=MONDAY,
        reason="sickness",
        hours=Decimal("1.125"),
    )
    assert errors == {"hours": ["Enter hours to no more than two decimal places, like 2.25"]}
    made = rosters.abstraction_record(
        officer=world.meir_pc, day=MONDAY, reason="sickness", hours=Decimal(24), by=world.admin
    )
    assert made.recorded_by == world.admin
    rosters.abstraction_delete(abstraction=made)
    assert not Abstraction.objects.exists()
