"""Public activities reach residents by themselves (issue 14): on the neighbourhood's page with
the team's events, in its .ics feeds, in the open API's events route in police.uk's event shape,
and on the operation's own page; a change shows at once. The restricted one never does (the
sweep, test_operations_public_sweep.py, checks every route)."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from beatbook.operations import services
from beatbook.operations.models import RESTRICTED_TYPES, Activity, ActivityType
from beatbook.operations.operation_results import activity_results_record
from beatbook.places.spatial import forget_cached_indexes
from beatbook.policeapi.cache import RESPONSES
from beatbook.policeapi.serialisers import ACTIVITY_EVENT_TYPES
from beatbook.teams import services as teams
from beatbook.teams.models import EventType

from .operations_world import OperationsWorld, build_operations_world, london

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
PAGE = "/neighbourhoods/staffordshire/LONGTON/"
EVENTS = "/api/staffordshire/LONGTON/events"


@pytest.fixture
def coming(settings: Any) -> OperationsWorld:
    """The Longton week a fortnight from today, and a team event on its second day."""
    settings.API_RATE_LIMIT_ENABLED = False
    cache.clear()
    forget_cached_indexes()
    RESPONSES.clear()
    return build_operations_world(first_day=timezone.localdate() + timedelta(days=14))


def _team_event(world: OperationsWorld) -> Any:
    tuesday = world.week.first_day + timedelta(days=1)
    return teams.event_create(
        neighbourhood=world.longton,
        title="Longton beat surgery",
        address="Longton Library, Sutherland Road",
        start=london(tuesday, 18),
        end=london(tuesday, 19),
    )


def _details(activity: Activity, **changes: Any) -> services.ActivityDetails:
    fields = {
        name: getattr(activity, name)
        for name in (
            "type",
            "title",
            "description",
            "start",
            "end",
            "online",
            "joining_details",
            "venue_name",
            "venue_address",
            "public",
        )
    }
    fields.update(changes)
    return services.ActivityDetails(**fields, organisations=list(activity.organisations.all()))


def _vevents(body: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(body)
    return {str(c["summary"]): c for c in calendar.walk("VEVENT")}


# --- the neighbourhood page -------------------------------------------------------------------


def test_the_page_lists_public_activities_with_the_teams_events_soonest_first(
    client: Client, coming: OperationsWorld
) -> None:
    _team_event(coming)

    response = client.get(PAGE)

    titles = [getattr(p, "activity", None) or p.event for p in response.context["listed"]]
    assert [t.title for t in titles] == [
        "Mobile police station at Tesco Extra Longton",  # Monday
        "Longton beat surgery",  # Tuesday: the team's own event
        "Online surgery with specialist officers",  # Wednesday
        "Door-to-door visits: fire safety and county lines",  # Thursday
    ]
    page = response.content.decode()
    assert f'id="activity-{coming.mobile_station.pk}"' in page
    assert f'href="/operations/{coming.week.pk}/"' in page
    assert f"{PAGE}activities/{coming.doors.pk}.ics" in page
    assert "Operation Nightjar" not in page


def test_the_page_names_current_and_recent_operations(
    client: Client, coming: OperationsWorld
) -> None:
    page = client.get(PAGE).content.decode()

    assert 'id="operations"' in page
    assert f'<a class="govuk-link" href="/operations/{coming.week.pk}/">' in page
    assert "Longton community action week" in page


def test_an_operation_recently_over_is_on_the_page_and_one_long_over_is_not(
    client: Client, settings: Any
) -> None:
    cache.clear()
    forget_cached_indexes()
    world = build_operations_world(first_day=timezone.localdate() - timedelta(days=40))

    assert [shown.operation for shown in client.get(PAGE).context["operations"]] == [world.week]
    assert client.get(PAGE).context["listed"] == []  # its activities are over
    # Once it is over, one sentence of what it did, from the recorded figures.
    activity_results_record(
        activity=world.mobile_station,
        organisation=world.police,
        counts={"people-engaged": 37},
        by=None,
    )
    page = client.get(PAGE).content.decode()
    assert "spoke to 37 people" in page
    assert f'href="/operations/{world.week.pk}/#what-we-did"' in page
    assert "Nightjar" not in page

    world.week.first_day -= timedelta(days=200)
    world.week.last_day -= timedelta(days=200)
    world.week.save()
    assert client.get(PAGE).context["operations"] == []


def test_a_public_activity_of_an_unpublished_operation_is_shown_nowhere(
    client: Client, coming: OperationsWorld
) -> None:
    services.operation_publish(operation=coming.week, public=False)

    assert client.get(PAGE).context["listed"] == []
    assert client.get(PAGE).context["operations"] == []
    assert client.get(EVENTS).json() == []
    assert "VEVENT" not in client.get(PAGE + "events.ics").content.decode()
    assert client.get(f"/operations/{coming.week.pk}/").status_code == 404
    assert client.get(PAGE + f"activities/{coming.mobile_station.pk}.ics").status_code == 404


def test_another_neighbourhoods_page_does_not_list_them(
    client: Client, coming: OperationsWorld
) -> None:
    response = client.get("/neighbourhoods/cheshire/CREWE/")

    assert response.context["listed"] == []
    assert response.context["operations"] == []
    assert client.get("/api/cheshire/CREWE/events").json() == []


# --- the .ics feeds ---------------------------------------------------------------------------


def test_the_feed_carries_public_activities_with_their_own_uids(
    client: Client, coming: OperationsWorld
) -> None:
    event = _team_event(coming)

    vevents = _vevents(client.get(PAGE + "events.ics").content)

    assert set(vevents) == {
        "Longton beat surgery",
        coming.mobile_station.title,
        coming.surgery.title,
        coming.doors.title,
    }
    uids = {str(v["uid"]) for v in vevents.values()}
    assert len(uids) == 4
    assert str(vevents["Longton beat surgery"]["uid"]).startswith(f"event-{event.pk}@")
    station = vevents[coming.mobile_station.title]
    assert str(station["uid"]).startswith(f"activity-{coming.mobile_station.pk}@")
    assert station.decoded("dtstart") == coming.mobile_station.start
    assert station.decoded("dtstart").tzinfo is not None
    assert str(station["location"]) == "Tesco Extra Longton, Tesco Extra, Longton, ST3 1AA"
    assert station["geo"].latitude == pytest.approx(52.990)
    assert station["geo"].longitude == pytest.approx(-2.140)
    assert str(station["url"]).endswith(f"/operations/{coming.week.pk}/")
    assert "Part of Longton community action week." in str(station["description"])
    surgery = vevents[coming.surgery.title]
    assert str(surgery["location"]) == "Online"
    assert "geo" not in surgery
    assert "How to join: Ask your questions on this page" in str(surgery["description"])


def test_a_public_activity_has_its_own_ics_and_a_restricted_one_is_not_found(
    client: Client, coming: OperationsWorld
) -> None:
    one = client.get(PAGE + f"activities/{coming.doors.pk}.ics")

    assert one.status_code == 200
    assert one["Content-Disposition"] == f'attachment; filename="activity-{coming.doors.pk}.ics"'
    assert list(_vevents(one.content)) == [coming.doors.title]
    assert client.get(PAGE + f"activities/{coming.enforcement.pk}.ics").status_code == 404
    # Another neighbourhood's address does not reach it either.
    other = f"/neighbourhoods/cheshire/CREWE/activities/{coming.doors.pk}.ics"
    assert client.get(other).status_code == 404


@pytest.mark.parametrize(
    ("first_day", "utc_hours"),
    [
        # The clocks go forward on Sunday 28 March 2027: Friday at 10am is 10:00 UTC, Monday
        # at 10am is 09:00 UTC.
        (date(2027, 3, 26), (10, 9)),
        # They go back on Sunday 31 October 2027: Friday at 10am is 09:00 UTC, Monday 10:00.
        (date(2027, 10, 29), (9, 10)),
    ],
)
def test_times_are_right_across_the_clock_changes(
    client: Client, settings: Any, first_day: date, utc_hours: tuple[int, int]
) -> None:
    cache.clear()
    forget_cached_indexes()
    world = build_operations_world(first_day=first_day)
    monday = first_day + timedelta(days=3)
    services.activity_update(
        activity=world.doors,
        details=_details(world.doors, start=london(monday, 10), end=london(monday, 16)),
    )

    friday = _vevents(client.get(PAGE + f"activities/{world.mobile_station.pk}.ics").content)
    after = _vevents(client.get(PAGE + f"activities/{world.doors.pk}.ics").content)

    start = friday[world.mobile_station.title].decoded("dtstart")
    later = after[world.doors.title].decoded("dtstart")
    assert (start.astimezone(UTC).hour, later.astimezone(UTC).hour) == utc_hours
    assert start.astimezone(LONDON).hour == later.astimezone(LONDON).hour == 10


# --- the open API's events route --------------------------------------------------------------


def test_the_events_route_merges_them_in_police_uks_shape(
    client: Client, coming: OperationsWorld
) -> None:
    _team_event(coming)

    events = client.get(EVENTS).json()

    assert [e["title"] for e in events] == [
        "Mobile police station at Tesco Extra Longton",
        "Longton beat surgery",
        "Online surgery with specialist officers",
        "Door-to-door visits: fire safety and county lines",
    ]
    station, _, surgery, doors = events
    monday = coming.week.first_day
    assert station == {
        "contact_details": {},
        "description": None,
        "title": "Mobile police station at Tesco Extra Longton",
        "address": "Tesco Extra Longton, Tesco Extra, Longton, ST3 1AA",
        "type": "mobile-police-station",
        "start_date": f"{monday:%Y-%m-%d}T10:00:00",
        "end_date": f"{monday:%Y-%m-%d}T14:00:00",
    }
    assert surgery["address"] == "Online: Ask your questions on this page"
    assert surgery["type"] == "online-surgery"
    assert doors["type"] == "door-to-door"
    starts = [e["start_date"] for e in events]
    assert starts == sorted(starts)


def test_only_activities_not_yet_over_are_in_the_events_route(
    client: Client, coming: OperationsWorld, monkeypatch: Any
) -> None:
    wednesday = coming.week.first_day + timedelta(days=2)
    later = london(wednesday, 12).astimezone(UTC)
    monkeypatch.setattr(timezone, "now", lambda: later)

    titles = [e["title"] for e in client.get(EVENTS).json()]

    assert titles == [coming.surgery.title, coming.doors.title]


def test_a_change_to_an_activity_or_an_operation_shows_at_once_with_the_cache_on(
    client: Client, coming: OperationsWorld, settings: Any
) -> None:
    settings.API_RESPONSE_CACHE_MB = 16
    before = coming.mobile_station.title
    assert before in {e["title"] for e in client.get(EVENTS).json()}

    services.activity_update(
        activity=coming.mobile_station,
        details=_details(coming.mobile_station, title="Mobile police station moved to Meir"),
    )
    titles = {e["title"] for e in client.get(EVENTS).json()}
    assert "Mobile police station moved to Meir" in titles
    assert before not in titles

    services.operation_publish(operation=coming.week, public=False)
    assert client.get(EVENTS).json() == []


def test_every_public_activity_type_has_a_police_uk_event_type() -> None:
    public = {t for t in ActivityType.values if t not in RESTRICTED_TYPES}
    assert set(ACTIVITY_EVENT_TYPES) == public
    assert set(ACTIVITY_EVENT_TYPES.values()) <= set(EventType.values)


# --- the operation's page ---------------------------------------------------------------------


def test_the_operations_page_shows_its_public_activities(
    client: Client, coming: OperationsWorld
) -> None:
    page = client.get(f"/operations/{coming.week.pk}/").content.decode()

    for activity in (coming.mobile_station, coming.surgery, coming.doors):
        assert activity.title in page
    assert "Nightjar" not in page
    assert "Hidden Close" not in page
