"""Planning an operation: the area becomes LSOAs, activities keep to the dates and the area,
and enforcement is never public, whoever writes it and however."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from beatbook.operations import services
from beatbook.operations.models import Activity, ActivityType, AreaChoice, Operation

from .operations_world import LSOA_CODES, OperationsWorld, london, square


def _details(world: OperationsWorld, **changes: object) -> services.OperationDetails:
    base = services.OperationDetails(
        name="Crewe west end day of action",
        kind=world.week.kind,
        lead=world.sergeant,
        lead_organisation=world.police,
        first_day=date(2026, 4, 7),
        last_day=date(2026, 4, 7),
        area_choice=AreaChoice.LSOAS,
        lsoa_codes=LSOA_CODES[:2],
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_neighbourhoods_become_their_lsoas(world: OperationsWorld) -> None:
    assert sorted(world.week.lsoas.values_list("code", flat=True)) == LSOA_CODES


def test_a_drawn_area_holds_the_lsoas_whose_centres_it_holds(world: OperationsWorld) -> None:
    drawn = square(52.990, -2.136, half=0.0055)  # the first two squares' centres
    operation = services.operation_create(
        by=world.sergeant,
        details=_details(world, area_choice=AreaChoice.POLYGON, area_polygon=drawn),
    )
    assert sorted(operation.lsoas.values_list("code", flat=True)) == LSOA_CODES[:2]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lsoa_codes": ["E01999999"]}, "lsoa_codes"),
        ({"lsoa_codes": []}, "lsoa_codes"),
        ({"area_choice": AreaChoice.NEIGHBOURHOODS, "neighbourhoods": []}, "neighbourhoods"),
        ({"area_choice": AreaChoice.POLYGON, "area_polygon": square(51.5, -0.1)}, "area_polygon"),
        (
            {
                "area_choice": AreaChoice.POLYGON,
                "area_polygon": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [-2.14, 52.98],
                            [-2.12, 53.0],
                            [-2.12, 52.98],
                            [-2.14, 53.0],
                            [-2.14, 52.98],
                        ]
                    ],
                },
            },
            "area_polygon",
        ),
        ({"last_day": date(2026, 4, 6)}, "last_day"),
    ],
)
def test_a_bad_plan_is_refused_and_changes_nothing(
    world: OperationsWorld, changes: dict[str, object], field: str
) -> None:
    before = Operation.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.operation_create(by=world.sergeant, details=_details(world, **changes))
    assert field in refused.value.message_dict
    assert Operation.objects.count() == before


def _activity(world: OperationsWorld, **changes: object) -> services.ActivityDetails:
    base = services.ActivityDetails(
        type=ActivityType.MEET_THE_COMMANDER,
        title="Meet the deputy commander at Longton Market",
        start=london(date(2026, 3, 6), 10),
        end=london(date(2026, 3, 6), 12),
        venue_name="Longton Market",
        venue_address="Longton Market, ST3 1AB",
        public=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": london(date(2026, 3, 9), 10), "end": london(date(2026, 3, 9), 11)}, "start"),
        ({"start": london(date(2026, 3, 1), 23), "end": london(date(2026, 3, 2), 1)}, "start"),
        ({"end": london(date(2026, 3, 6), 9)}, "end"),
        ({"venue_address": "Somewhere far, ST3 9ZZ"}, "venue_address"),
        ({"venue_address": "Longton Market"}, "venue_address"),
        ({"type": ActivityType.ENFORCEMENT}, "public"),
        ({"type": ActivityType.WARRANT}, "public"),
    ],
)
def test_a_bad_activity_is_refused_and_changes_nothing(
    world: OperationsWorld, changes: dict[str, object], field: str
) -> None:
    before = Activity.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.activity_create(operation=world.week, details=_activity(world, **changes))
    assert field in refused.value.message_dict
    assert Activity.objects.count() == before


def test_a_venue_outside_the_area_is_refused(world: OperationsWorld) -> None:
    # A postcode we hold, 5 km away.
    from beatbook.places.models import Postcode

    Postcode.objects.create(postcode="ST4 9ZZ", quality=10, latitude=53.03, longitude=-2.14)
    with pytest.raises(ValidationError, match="outside the operation's area"):
        services.activity_create(
            operation=world.week,
            details=_activity(world, venue_address="Hanley, ST4 9ZZ"),
        )


def test_a_stranger_organisation_cannot_be_assigned(world: OperationsWorld) -> None:
    with pytest.raises(ValidationError, match="as a partner"):
        services.activity_create(
            operation=world.week,
            details=_activity(world, organisations=[world.cheshire_police]),
        )


def test_the_database_refuses_a_public_enforcement_written_around_the_services(
    world: OperationsWorld,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=world.enforcement.pk).update(public=True)


def test_the_database_refuses_an_activity_ending_before_it_starts(world: OperationsWorld) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=world.mobile_station.pk).update(end=world.mobile_station.start)


def test_an_activity_across_the_clock_change_keeps_its_london_times(
    world: OperationsWorld,
) -> None:
    # The clocks go forward at 1am on Sunday 29 March 2026: 00:30 is GMT, 03:00 is BST.
    operation = services.operation_create(
        by=world.sergeant,
        details=_details(world, first_day=date(2026, 3, 28), last_day=date(2026, 3, 29)),
    )
    night = services.activity_create(
        operation=operation,
        details=_activity(
            world,
            type=ActivityType.HIGH_VISIBILITY_PATROL,
            title="Night-time economy patrol",
            start=london(date(2026, 3, 29), 0, 30),
            end=london(date(2026, 3, 29), 3),
        ),
    )
    night.refresh_from_db()
    assert night.start.isoformat() == "2026-03-29T00:30:00+00:00"
    assert night.end.isoformat() == "2026-03-29T02:00:00+00:00"
    assert (night.end - night.start).total_seconds() == 90 * 60


def test_dates_cannot_shrink_past_an_activity(world: OperationsWorld) -> None:
    details = services.OperationDetails(
        name=world.week.name,
        kind=world.week.kind,
        lead=world.sergeant,
        lead_organisation=world.police,
        first_day=world.week.first_day,
        last_day=world.week.first_day,
        area_choice=AreaChoice.NEIGHBOURHOODS,
        neighbourhoods=[world.longton],
    )
    with pytest.raises(ValidationError, match="outside the new dates"):
        services.operation_update(operation=world.week, details=details)
    world.week.refresh_from_db()
    assert world.week.last_day == date(2026, 3, 7)


def test_an_activity_across_the_october_clock_change_keeps_its_london_times(
    world: OperationsWorld,
) -> None:
    # The clocks go back at 2am on Sunday 25 October 2026: 01:30 happens twice; 00:30 is BST.
    operation = services.operation_create(
        by=world.sergeant,
        details=_details(world, first_day=date(2026, 10, 24), last_day=date(2026, 10, 25)),
    )
    night = services.activity_create(
        operation=operation,
        details=_activity(
            world,
            type=ActivityType.HIGH_VISIBILITY_PATROL,
            title="Night-time economy patrol",
            start=london(date(2026, 10, 25), 0, 30),
            end=london(date(2026, 10, 25), 3),
        ),
    )
    night.refresh_from_db()
    assert night.start.isoformat() == "2026-10-24T23:30:00+00:00"
    assert night.end.isoformat() == "2026-10-25T03:00:00+00:00"
    assert (night.end - night.start).total_seconds() == 3.5 * 3600
