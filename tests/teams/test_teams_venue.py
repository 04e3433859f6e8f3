"""Where an event is: a postcode in or near its neighbourhood, or online with no address.

A small map: Longton (Stoke-on-Trent) and Meir next to it, Stafford Town 19 km south, and
Liverpool City Centre in another force. Postcodes are placed in each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbook.accounts.services import user_create
from beatbook.places.models import Force, Neighbourhood, Postcode
from beatbook.places.spatial import forget_cached_indexes
from beatbook.teams import services
from beatbook.teams.models import Event
from beatbook.teams.venue import NEAR_METRES, event_place_errors, metres_from_boundary

pytestmark = pytest.mark.django_db


def _box(
    force: str, code: str, name: str, lat: tuple[float, float], lng: tuple[float, float]
) -> Neighbourhood:
    ring = [
        [lng[0], lat[0]],
        [lng[1], lat[0]],
        [lng[1], lat[1]],
        [lng[0], lat[1]],
        [lng[0], lat[0]],
    ]
    return Neighbourhood.objects.create(
        force=Force.objects.get(pk=force),
        code=code,
        name=name,
        boundary={"type": "Polygon", "coordinates": [ring]},
        min_lat=lat[0],
        max_lat=lat[1],
        min_lng=lng[0],
        max_lng=lng[1],
        centre_lat=sum(lat) / 2,
        centre_lng=sum(lng) / 2,
    )


@dataclass
class Map:
    longton: Neighbourhood
    meir: Neighbourhood
    stafford: Neighbourhood
    liverpool: Neighbourhood


@pytest.fixture
def places() -> Map:
    forget_cached_indexes()
    world = Map(
        longton=_box("staffordshire", "SOT.LONGTON", "Longton", (52.975, 53.0), (-2.15, -2.11)),
        meir=_box("staffordshire", "SOT.MEIR", "Meir", (52.975, 53.0), (-2.11, -2.07)),
        stafford=_box("staffordshire", "STAFFORD", "Stafford Town", (52.79, 52.82), (-2.14, -2.09)),
        liverpool=_box(
            "merseyside", "LIV.CITY", "Liverpool City Centre", (53.395, 53.415), (-3.0, -2.96)
        ),
    )
    for postcode, latitude, longitude in (
        ("ST3 1AA", 52.9875, -2.1305),  # Longton
        ("ST3 7AA", 52.985, -2.09),  # Meir, about 1.3 km from Longton's edge
        ("ST3 5ZZ", 52.985, -2.075),  # Meir's far side, about 2.4 km from Longton's edge
        ("ST16 2AA", 52.806, -2.117),  # Stafford
        ("L1 8JQ", 53.4045, -2.9806),  # Liverpool
        ("SW1A 1AA", 51.501, -0.141),  # London: held, but in no neighbourhood we hold
    ):
        Postcode.objects.create(
            postcode=postcode, quality=10, latitude=latitude, longitude=longitude
        )
    return world


def _event(neighbourhood: Neighbourhood, **place: object) -> Event:
    start = timezone.now() + timedelta(days=3)
    return services.event_create(
        neighbourhood=neighbourhood,
        title="Beat surgery",
        start=start,
        end=start + timedelta(hours=1),
        **place,  # type: ignore[arg-type]
    )


def _refusal(neighbourhood: Neighbourhood, **place: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        _event(neighbourhood, **place)
    assert not Event.objects.exists()
    return refused.value.message_dict


def test_a_liverpool_postcode_is_refused_for_longton_naming_where_it_is(places: Map) -> None:
    errors = _refusal(places.longton, address="Town Hall", postcode="l18jq")
    assert errors == {
        "postcode": [
            "L1 8JQ is in Liverpool City Centre (Merseyside Police), not in or near Longton. "
            "Enter the postcode of the place in or near Longton where the event is, or add the "
            "event to the team of the neighbourhood it is in"
        ]
    }


def test_a_postcode_written_into_the_address_is_checked_too(places: Map) -> None:
    errors = _refusal(places.longton, address="Town Hall, Dale Street, L1 8JQ")
    assert "L1 8JQ is in Liverpool City Centre" in errors["postcode"][0]


def test_a_postcode_in_the_same_force_but_another_town_is_refused(places: Map) -> None:
    errors = _refusal(places.longton, address="Market Square", postcode="ST16 2AA")
    assert errors["postcode"][0].startswith(
        "ST16 2AA is in Stafford Town (Staffordshire Police), not in or near Longton."
    )


def test_a_postcode_outside_every_neighbourhood_held_is_refused(places: Map) -> None:
    errors = _refusal(places.longton, address="Palace", postcode="SW1A 1AA")
    assert errors["postcode"][0].startswith(
        "SW1A 1AA is outside the areas Beatbook covers, not in or near Longton."
    )


def test_a_postcode_we_cannot_find_near_the_neighbourhood_is_refused(places: Map) -> None:
    errors = _refusal(places.longton, address="Somewhere", postcode="ST3 9ZZ")
    assert errors["postcode"] == [
        "We cannot find the postcode ST3 9ZZ in or near Longton. Check it, or leave the "
        "postcode out"
    ]


def test_a_postcode_in_or_near_the_neighbourhood_is_kept(places: Map) -> None:
    inside = _event(places.longton, address="Market Hall", postcode="ST3 1AA")
    next_door = _event(places.longton, address="Meir police station", postcode="ST3 7AA")
    assert inside.address == "Market Hall, ST3 1AA"
    assert next_door.address == "Meir police station, ST3 7AA"
    assert metres_from_boundary(places.longton, latitude=52.985, longitude=-2.09) < NEAR_METRES
    assert metres_from_boundary(places.longton, latitude=52.985, longitude=-2.075) > NEAR_METRES
    errors = _refusal_after(places.longton, address="Meir Park", postcode="ST3 5ZZ")
    assert errors["postcode"][0].startswith("ST3 5ZZ is in Meir (Staffordshire Police)")


def _refusal_after(neighbourhood: Neighbourhood, **place: object) -> dict[str, list[str]]:
    before = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        _event(neighbourhood, **place)
    assert Event.objects.count() == before
    return refused.value.message_dict


def test_without_postcodes_held_around_the_neighbourhood_a_postcode_cannot_be_checked(
    places: Map,
) -> None:
    crewe = _box("cheshire", "CE.CREWE", "Crewe", (53.09, 53.11), (-2.46, -2.42))
    event = _event(crewe, address="Crewe Lifestyle Centre", postcode="CW1 2BB")
    assert event.address == "Crewe Lifestyle Centre, CW1 2BB"


def test_editing_an_event_checks_its_postcode_again(places: Map) -> None:
    event = _event(places.longton, address="Market Hall", postcode="ST3 1AA")
    with pytest.raises(ValidationError, match="L1 8JQ is in Liverpool City Centre"):
        services.event_update(
            event=event,
            title=event.title,
            start=event.start,
            end=event.end,
            address="Market Hall",
            postcode="L1 8JQ",
        )
    event.refresh_from_db()
    assert event.address == "Market Hall, ST3 1AA"


# --- Online events ------------------------------------------------------------------------


def test_an_online_event_has_joining_details_and_no_address(places: Map) -> None:
    event = _event(
        places.longton,
        type="online-surgery",
        online=True,
        joining_details="Join at https://meet.example.police.uk/longton.",
    )
    assert (event.address, event.online) == ("", True)
    assert event.place == "Online: Join at https://meet.example.police.uk/longton."
    assert event.joining_url == "https://meet.example.police.uk/longton"


@pytest.mark.parametrize(
    ("place", "field", "message"),
    [
        (
            {"online": True, "joining_details": "Teams", "postcode": "ST3 1AA"},
            "address",
            "An online event has no address or postcode: leave them blank",
        ),
        (
            {"online": True, "joining_details": "Teams", "address": "Longton library"},
            "address",
            "An online event has no address or postcode: leave them blank",
        ),
        ({"online": True}, "joining_details", "Say how residents join the online event"),
        (
            {"address": "Longton library", "joining_details": "https://example.org"},
            "joining_details",
            "Only an online event has joining details",
        ),
        (
            {"type": "online-surgery", "address": "Longton library"},
            "type",
            "An online surgery is held online",
        ),
    ],
)
def test_an_event_is_online_or_in_person_never_both(
    places: Map, place: dict[str, object], field: str, message: str
) -> None:
    errors = _refusal(places.longton, **place)
    assert errors[field][0].startswith(message)


def test_the_database_refuses_an_online_event_with_an_address(places: Map) -> None:
    start = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            neighbourhood=places.longton,
            title="Online surgery",
            start=start,
            online=True,
            joining_details="Teams",
            address="Longton library, ST3 1AA",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            neighbourhood=places.longton, title="Surgery", type="online-surgery", start=start
        )


def test_the_rules_are_one_function_for_every_form(places: Map) -> None:
    assert event_place_errors(
        neighbourhood=places.longton,
        type="surgery",
        online=False,
        address="Town Hall, L1 8JQ",
        joining_details="",
    ) == {
        "postcode": "L1 8JQ is in Liverpool City Centre (Merseyside Police), not in or near "
        "Longton. Enter the postcode of the place in or near Longton where the event is, or "
        "add the event to the team of the neighbourhood it is in"
    }


# --- The admin ----------------------------------------------------------------------------


def _admin_post(neighbourhood: Neighbourhood, **fields: str) -> dict[str, str]:
    start = timezone.localtime() + timedelta(days=3)
    return {
        "neighbourhood": str(neighbourhood.pk),
        "title": "Beat surgery",
        "type": "surgery",
        "description": "",
        "address": "",
        "joining_details": "",
        "start_0": start.strftime("%Y-%m-%d"),
        "start_1": "14:00:00",
        "end_0": start.strftime("%Y-%m-%d"),
        "end_1": "15:00:00",
        "contact_details": "{}",
        **fields,
    }


@pytest.fixture
def admin_client_signed_in(places: Map) -> Client:
    admin = user_create(
        username="root", password="correct horse battery staple", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"address": "Town Hall, L1 8JQ"}, "L1 8JQ is in Liverpool City Centre"),
        (
            {"online": "on", "address": "Longton library", "joining_details": "Teams"},
            "An online event has no address or postcode",
        ),
        ({"online": "on"}, "Say how residents join the online event"),
    ],
)
def test_the_admin_applies_the_same_rules(
    admin_client_signed_in: Client, places: Map, fields: dict[str, str], message: str
) -> None:
    response = admin_client_signed_in.post(
        reverse("admin:teams_event_add"), _admin_post(places.longton, **fields)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_the_admin_saves_an_event_in_its_neighbourhood_and_an_online_one(
    admin_client_signed_in: Client, places: Map
) -> None:
    url = reverse("admin:teams_event_add")
    in_person = _admin_post(places.longton, address="Market Hall, ST3 1AA")
    online = _admin_post(places.longton, online="on", joining_details="https://example.org/j")
    assert admin_client_signed_in.post(url, in_person).status_code == 302
    assert admin_client_signed_in.post(url, online).status_code == 302
    assert sorted(Event.objects.values_list("online", flat=True)) == [False, True]


# --- Events kept before the rules -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_online_events_of_those_that_said_so() -> None:
    before = [("teams", "0004_event_types_for_neighbourhood_work")]
    after = [("teams", "0005_event_online")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    force = old.get_model("places", "Force").objects.get(pk="staffordshire")
    hood = old.get_model("places", "Neighbourhood").objects.create(
        force=force, code="L", name="Longton"
    )
    old_event = old.get_model("teams", "Event")
    start = timezone.now()
    for title, kind, address in (
        ("Online surgery", "online-surgery", "Online: ask the team for the link, ST3 1AA"),
        ("Webinar", "meeting", "online"),
        ("Surgery", "surgery", "Market Hall, ST3 1AA"),
    ):
        old_event.objects.create(
            neighbourhood=hood, title=title, type=kind, address=address, start=start
        )

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    rows = {
        title: (online, address, joining)
        for title, online, address, joining in Event.objects.values_list(
            "title", "online", "address", "joining_details"
        )
    }
    assert rows == {
        "Online surgery": (True, "", "Ask the team for the link"),
        "Webinar": (True, "", "Ask the team how to join"),
        "Surgery": (False, "Market Hall, ST3 1AA", ""),
    }
