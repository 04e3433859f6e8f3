"""The staff's operation pages and the public operation page, as each person meets them."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from .operations_world import PASSWORD, OperationsWorld


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_sergeant_sees_the_week_with_its_enforcement(world: OperationsWorld) -> None:
    page = _client("sergeant").get(reverse("operations:detail", args=[world.week.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.enforcement.title in text
    assert "Never published" in text


def test_a_partner_sees_the_week_but_not_the_police_enforcement(world: OperationsWorld) -> None:
    page = _client("coordinator").get(reverse("operations:detail", args=[world.week.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.mobile_station.title in text
    assert world.enforcement.title not in text


def test_another_force_gets_not_found(world: OperationsWorld) -> None:
    client = _client("cheshire")
    assert client.get(reverse("operations:detail", args=[world.week.pk])).status_code == 404
    assert world.week.name not in client.get(reverse("operations:list")).content.decode()


def test_the_public_page_shows_public_activities_only(world: OperationsWorld) -> None:
    page = Client().get(reverse("operations:public", args=[world.week.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.mobile_station.title in text
    assert world.enforcement.title not in text
    assert "Hidden Close" not in text


def test_an_unpublished_operation_has_no_public_page(world: OperationsWorld) -> None:
    world.week.public = False
    world.week.save()
    assert Client().get(reverse("operations:public", args=[world.week.pk])).status_code == 404


def _form(**fields: object) -> dict[str, object]:
    return {key: value for key, value in fields.items() if value is not None}


def test_the_sergeant_plans_a_day_of_action_through_the_pages(world: OperationsWorld) -> None:
    from beatbook.operations.models import Operation, OperationKind

    client = _client("sergeant")
    kind = OperationKind.objects.get(slug="day-of-action")
    page = client.post(
        reverse("operations:create"),
        _form(
            name="Longton day of action",
            kind=kind.pk,
            lead_organisation=world.police.pk,
            lead=world.sergeant.pk,
            first_day_day="9",
            first_day_month="3",
            first_day_year="2026",
            last_day_day="9",
            last_day_month="3",
            last_day_year="2026",
            area_choice="lsoas",
            lsoa_codes="E01014220, E01014221",
        ),
    )
    assert page.status_code == 302, re.findall(r"Error:</span>([^<]*)", page.content.decode())
    operation = Operation.objects.get(name="Longton day of action")
    assert operation.lsoas.count() == 2
    page = client.post(
        reverse("operations:activity-add", args=[operation.pk]),
        _form(
            title="Litter pick on Commerce Street",
            type="litter-pick",
            attendance="in-person",
            venue_name="Commerce Street",
            venue_address="Commerce Street, Longton, ST3 1AA",
            day_day="9",
            day_month="3",
            day_year="2026",
            start_time="10:00",
            end_time="12:00",
            organisations=[world.police.pk],
            public="on",
        ),
    )
    assert page.status_code == 302, re.findall(r"Error:</span>([^<]*)", page.content.decode())
    assert operation.activities.get().public


def test_an_activity_on_the_wrong_day_is_refused_with_a_message(world: OperationsWorld) -> None:
    client = _client("sergeant")
    before = world.week.activities.count()
    page = client.post(
        reverse("operations:activity-add", args=[world.week.pk]),
        _form(
            title="Litter pick",
            type="litter-pick",
            attendance="in-person",
            venue_name="Commerce Street",
            venue_address="Commerce Street, ST3 1AA",
            day_day="20",
            day_month="3",
            day_year="2026",
            start_time="10:00",
            end_time="9:00",
        ),
    )
    assert page.status_code == 400
    assert "during the operation" in page.content.decode() or "ends" in page.content.decode()
    assert world.week.activities.count() == before


def test_publishing_an_enforcement_through_the_form_is_refused(world: OperationsWorld) -> None:
    page = _client("sergeant").post(
        reverse("operations:activity-edit", args=[world.enforcement.pk]),
        _form(
            title=world.enforcement.title,
            type="enforcement",
            attendance="in-person",
            venue_name="Hidden Close",
            venue_address="Hidden Close, ST3 1AD",
            day_day="5",
            day_month="3",
            day_year="2026",
            start_time="05:00",
            end_time="09:00",
            organisations=[world.police.pk],
            public="on",
        ),
    )
    assert page.status_code == 400
    assert "never published" in page.content.decode()
    world.enforcement.refresh_from_db()
    assert not world.enforcement.public


def test_an_analyst_may_look_but_not_change(world: OperationsWorld) -> None:
    client = _client("analyst")
    assert client.get(reverse("operations:detail", args=[world.week.pk])).status_code == 200
    assert client.get(reverse("operations:edit", args=[world.week.pk])).status_code == 403
    assert (
        client.post(
            reverse("operations:publish", args=[world.week.pk]), {"public": "no"}
        ).status_code
        == 403
    )
    world.week.refresh_from_db()
    assert world.week.public


def test_the_form_pages_open(world: OperationsWorld) -> None:
    client = _client("sergeant")
    for name, args in [
        ("operations:create", []),
        ("operations:edit", [world.week.pk]),
        ("operations:partner-add", [world.week.pk]),
        ("operations:activity-add", [world.week.pk]),
        ("operations:activity-edit", [world.mobile_station.pk]),
        ("operations:activity-delete", [world.mobile_station.pk]),
        ("operations:list", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_people_of_the_taking_part_organisations_can_be_assigned(world: OperationsWorld) -> None:
    client = _client("sergeant")
    page = client.get(reverse("operations:activity-edit", args=[world.mobile_station.pk]))
    text = page.content.decode()
    assert 'name="staff"' in text
    assert f'value="{world.coordinator.pk}"' in text  # the council is a partner
    assert f'value="{world.cheshire_officer.pk}"' not in text
    answer = client.post(
        reverse("operations:activity-edit", args=[world.mobile_station.pk]),
        _form(
            title=world.mobile_station.title,
            type="mobile-police-station",
            attendance="in-person",
            venue_name="Tesco Extra Longton",
            venue_address="Tesco Extra, Longton, ST3 1AA",
            day_day="2",
            day_month="3",
            day_year="2026",
            start_time="10:00",
            end_time="14:00",
            organisations=[world.police.pk, world.council.pk],
            staff=[world.sergeant.pk, world.coordinator.pk],
            public="on",
        ),
    )
    assert answer.status_code == 302
    assigned = set(world.mobile_station.staff.values_list("username", flat=True))
    assert assigned == {"sergeant", "coordinator"}
    detail = client.get(reverse("operations:detail", args=[world.week.pk])).content.decode()
    assert "coordinator" in detail
