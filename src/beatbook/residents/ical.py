"""Calendar feeds (RFC 5545) of a neighbourhood team's events, and of the public activities of
the operations covering the neighbourhood, made with ``icalendar``.

Times are written in UTC (``DTSTART:20260301T140000Z``), which every calendar program reads
without a VTIMEZONE; the program shows them in the reader's own time zone. Each event's UID is
stable (its id and the site's host), so a subscribed calendar updates an event in place when
the team changes it, rather than adding a copy. An activity's UID (``activity-<id>@host``) is
never an event's (``event-<id>@host``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from icalendar import Calendar, vGeo
from icalendar import Event as CalendarEvent

from beatbook.operations.activity_place import activity_place
from beatbook.operations.models import Activity
from beatbook.places.models import Neighbourhood
from beatbook.teams.models import Event

PRODID = "-//Beatbook//Neighbourhood events//EN"
# How often subscribed calendars should fetch the feed again (RFC 7986, and the older
# X-PUBLISHED-TTL that some programs still read).
REFRESH = timedelta(hours=12)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def plain_text(staff_html: str) -> str:
    """Staff-written HTML as plain text for a calendar description (no tags, entities decoded)."""
    spaced = staff_html.replace("</p>", "</p>\n").replace("<br>", "\n").replace("<br/>", "\n")
    text = html.unescape(nh3.clean(spaced, tags=set()))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def event_uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "beatbook.invalid"
    return f"event-{event.pk}@{host}"


def activity_uid(activity: Activity) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "beatbook.invalid"
    return f"activity-{activity.pk}@{host}"


def _calendar(name: str, description: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    return calendar


def _component(
    event: Event, *, url: str, stamp: datetime, position: tuple[float, float] | None
) -> CalendarEvent:
    component = CalendarEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", _utc(stamp))
    component.add("created", _utc(event.created_at))
    component.add("last-modified", _utc(event.updated_at))
    component.add("dtstart", _utc(event.start))
    if event.end is not None:
        component.add("dtend", _utc(event.end))
    component.add("summary", event.title)
    description = plain_text(event.description)
    if event.online:
        # No address: "Online" where calendars show the place, and how to join in the text
        # (and as RFC 7986's CONFERENCE, which some calendars offer as a "Join" button).
        component.add("location", "Online")
        if event.joining_url:
            component.add("conference", event.joining_url, parameters={"VALUE": "URI"})
        description = f"Online. How to join: {event.joining_details}\n\n{description}"
    elif event.address:
        component.add("location", event.address)
    if position is not None and not event.online:
        component.add("geo", vGeo(position))
    component.add("description", f"{description}\n\n{url}".strip())
    component.add("url", url)
    component.add("categories", [event.get_type_display()])
    component.add("status", "CONFIRMED")
    component.add("transp", "OPAQUE")
    return component


def _activity_component(
    activity: Activity, *, url: str, stamp: datetime, position: tuple[float, float] | None
) -> CalendarEvent:
    """A public activity (handed over by ``operations.selectors.public_activities`` only)."""
    component = CalendarEvent()
    component.add("uid", activity_uid(activity))
    component.add("dtstamp", _utc(stamp))
    component.add("created", _utc(activity.created_at))
    component.add("last-modified", _utc(activity.updated_at))
    component.add("dtstart", _utc(activity.start))
    component.add("dtend", _utc(activity.end))
    component.add("summary", activity.title)
    parts = [activity.description.strip()]
    if activity.online:
        component.add("location", "Online")
        if activity.joining_details:
            parts.insert(0, f"Online. How to join: {activity.joining_details}")
    else:
        place = activity_place(activity)
        if place:
            component.add("location", place)
        if position is not None:
            component.add("geo", vGeo(position))
    parts += [f"Part of {activity.operation.name}.", url]
    component.add("description", "\n\n".join(part for part in parts if part))
    component.add("url", url)
    component.add("categories", [activity.get_type_display()])
    component.add("status", "CONFIRMED")
    component.add("transp", "OPAQUE")
    return component


def events_calendar(
    *,
    neighbourhood: Neighbourhood,
    events: Iterable[tuple[Event, str, tuple[float, float] | None]],
    now: datetime,
    activities: Iterable[tuple[Activity, str, tuple[float, float] | None]] = (),
) -> bytes:
    """A calendar of events and public activities, each given with its page address and
    position (if known)."""
    name = f"{neighbourhood.name} neighbourhood team events"
    about = f"Events of the {neighbourhood.name} neighbourhood policing team"
    calendar = _calendar(name, f"{about} ({neighbourhood.force.name}).")
    for event, url, position in events:
        calendar.add_component(_component(event, url=url, stamp=now, position=position))
    for activity, url, position in activities:
        calendar.add_component(_activity_component(activity, url=url, stamp=now, position=position))
    data: bytes = calendar.to_ical()
    return data
