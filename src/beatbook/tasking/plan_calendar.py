"""An officer's visits in a patrol plan as a calendar file (RFC 5545, ``icalendar``), written
in UTC as ``residents.ical`` does, each visit with a stable UID so a re-import updates it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vGeo
from icalendar import Event as CalendarEvent

from beatbook.tasking.models import Officer, PatrolPlan, PlanVisit
from beatbook.ui.templatetags.beatbook_ui import category_name

PRODID = "-//Beatbook//Patrol plan//EN"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def visit_uid(visit: PlanVisit) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "beatbook.invalid"
    return f"patrol-visit-{visit.pk}@{host}"


def why_text(reasons: dict[str, object]) -> str:
    """A place's reasons in a line or two of plain text."""
    parts = []
    for request in reasons.get("requests") or []:  # type: ignore[attr-defined]
        parts.append(f"Request: {request['title']} ({request['tactic']})")
    categories = reasons.get("categories") or []
    if categories:
        listed = ", ".join(
            f"{category_name(c['category'])} {c['count']}"
            for c in categories[:4]  # type: ignore[index]
        )
        parts.append(f"Last 3 months: {listed}")
    trend = reasons.get("trend")
    if isinstance(trend, dict):
        parts.append(f"Trend: {trend['direction']} ({trend['before']} then {trend['recent']})")
    return "\n".join(parts)


def officer_calendar(plan: PatrolPlan, officer: Officer, visits: Sequence[PlanVisit]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"Patrol plan {plan.date:%d %B %Y} {plan.shift_kind.name}: {officer.collar_number}"
    calendar.add("x-wr-calname", name)
    stamp = _utc(timezone.now())
    for number, visit in enumerate(visits, start=1):
        place = visit.place
        event = CalendarEvent()
        event.add("uid", visit_uid(visit))
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(visit.starts))
        event.add("dtend", _utc(visit.ends))
        event.add("summary", f"Patrol visit {number}: {place.key}")
        event.add("location", f"Cell {place.key} ({place.latitude:.5f}, {place.longitude:.5f})")
        event.add("geo", vGeo((place.latitude, place.longitude)))
        event.add("description", why_text(place.reasons))
        calendar.add_component(event)
    return bytes(calendar.to_ical())
