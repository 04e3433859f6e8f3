"""How residents see an event held online (on the page and in the calendar feeds): "Online" and
how to join, never an address or a postcode; one held in person keeps its place on the map."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from beatbook.places.models import Force, Neighbourhood, Postcode
from beatbook.places.spatial import forget_cached_indexes
from beatbook.teams import services
from beatbook.teams.models import Event

pytestmark = pytest.mark.django_db

PAGE = "/neighbourhoods/staffordshire/SOT.LONGTON/"
JOIN = "Join at https://meet.example.police.uk/longton, or call 101."


@pytest.fixture
def events() -> tuple[Event, Event]:
    cache.clear()
    forget_cached_indexes()
    ring = [[-2.15, 52.975], [-2.11, 52.975], [-2.11, 53.0], [-2.15, 53.0], [-2.15, 52.975]]
    longton = Neighbourhood.objects.create(
        force=Force.objects.get(pk="staffordshire"),
        code="SOT.LONGTON",
        name="Longton",
        boundary={"type": "Polygon", "coordinates": [ring]},
        min_lat=52.975,
        max_lat=53.0,
        min_lng=-2.15,
        max_lng=-2.11,
        centre_lat=52.9875,
        centre_lng=-2.13,
    )
    Postcode.objects.create(postcode="ST3 1AA", quality=1, latitude=52.9875, longitude=-2.1305)
    start = timezone.now() + timedelta(days=2)
    online = services.event_create(
        neighbourhood=longton,
        title="Evening online surgery",
        type="online-surgery",
        online=True,
        joining_details=JOIN,
        start=start,
        end=start + timedelta(hours=1),
    )
    in_person = services.event_create(
        neighbourhood=longton,
        title="Mobile police station",
        address="Market Square",
        postcode="ST3 1AA",
        start=start + timedelta(days=1),
        end=start + timedelta(days=1, hours=2),
    )
    return online, in_person


def test_the_page_says_online_and_how_to_join(client: Client, events: tuple[Event, Event]) -> None:
    online, _ = events
    page = client.get(PAGE).content.decode()
    card = page.split(f'id="event-{online.pk}"')[1].split("Add to your calendar")[0]
    assert '<dd class="govuk-summary-list__value">Online</dd>' in card
    assert "How to join" in card
    assert (
        '<a class="govuk-link" href="https://meet.example.police.uk/longton">'
        "https://meet.example.police.uk/longton</a>, or call 101." in card
    )
    assert "ST3" not in card
    # Only the event held in person is drawn on the events map.
    points = page.split('id="event-points"')[1].split("</script>")[0]
    assert "Mobile police station" in points
    assert "Evening online surgery" not in points


def test_the_calendar_feeds_say_online_and_how_to_join(
    client: Client, events: tuple[Event, Event]
) -> None:
    online, in_person = events
    feed = Calendar.from_ical(client.get(PAGE + "events.ics").content)
    by_title = {str(item["summary"]): item for item in feed.walk("VEVENT")}
    remote = by_title["Evening online surgery"]
    assert str(remote["location"]) == "Online"
    assert "geo" not in remote
    assert str(remote["conference"]) == "https://meet.example.police.uk/longton"
    assert str(remote["description"]).startswith(f"Online. How to join: {JOIN}")
    here = by_title["Mobile police station"]
    assert str(here["location"]) == "Market Square, ST3 1AA"
    assert "geo" in here
    one = Calendar.from_ical(client.get(PAGE + f"events/{online.pk}.ics").content)
    assert [str(item["location"]) for item in one.walk("VEVENT")] == ["Online"]


def test_joining_details_are_text_with_only_https_links(
    client: Client, events: tuple[Event, Event]
) -> None:
    online, _ = events
    Event.objects.filter(pk=online.pk).update(
        joining_details='<script>alert(1)</script> javascript:alert(2) "https://x.example/a"'
    )
    page = client.get(PAGE).content.decode()
    card = page.split(f'id="event-{online.pk}"')[1].split("Add to your calendar")[0]
    assert "<script>alert(1)" not in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert 'href="javascript' not in card
    assert '<a class="govuk-link" href="https://x.example/a">https://x.example/a</a>' in card
