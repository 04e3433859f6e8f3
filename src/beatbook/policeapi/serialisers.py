"""police.uk's JSON shapes, built as plain dicts for orjson (compatibility rules 4 and 5).

Coordinates are strings, ids integers, months ``YYYY-MM``; team and event times are naive
local ``YYYY-MM-DDTHH:MM:SS``; where a client breaks on null we give ``""`` or ``[]`` instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from beatbook.operations.activity_place import activity_place
from beatbook.operations.models import Activity, ActivityType
from beatbook.places.models import AreaName, Force, Neighbourhood, Postcode
from beatbook.policeapi.categories import ANTI_SOCIAL_BEHAVIOUR, outcome_code, stop_outcome_id
from beatbook.policeapi.selectors.crimes import CrimeRow, LocatedCrimes, OutcomeRow
from beatbook.policeapi.selectors.stops import StopRow
from beatbook.teams.contact import ordered_contact_details
from beatbook.teams.models import (
    EngagementMethod,
    Event,
    EventType,
    NeighbourhoodLink,
    NeighbourhoodLocation,
    Priority,
    SeniorOfficer,
    TeamMember,
)

LONDON = ZoneInfo("Europe/London")
Json = dict[str, Any]


def coordinate(value: float | None, places: int = 6) -> str:
    return "" if value is None else f"{value:.{places}f}"


def naive_local(moment: datetime | None) -> str | None:
    """police.uk's event and priority times: UK local time, no zone, no fraction."""
    if moment is None:
        return None
    return moment.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M:%S")


def _location(row: CrimeRow | StopRow, cache: dict[int, Json] | None = None) -> Json | None:
    """The published point; crimes at one point share one dict (orjson writes it each time)."""
    if row.location_id is None:
        return None
    if cache is not None and row.location_id in cache:
        return cache[row.location_id]
    location = {
        "latitude": coordinate(row.latitude),
        "street": {"id": row.location_id, "name": row.street or ""},
        "longitude": coordinate(row.longitude),
    }
    if cache is not None:
        cache[row.location_id] = location
    return location


def crime_core(crime: CrimeRow, locations: dict[int, Json] | None = None) -> Json:
    """A crime object without ``outcome_status`` (as inside outcomes)."""
    located = crime.location_id is not None
    asb = crime.category == ANTI_SOCIAL_BEHAVIOUR
    return {
        "category": crime.category,
        "location_type": ("BTP" if crime.force_id == "btp" else "Force") if located else None,
        "location": _location(crime, locations),
        "context": crime.context,
        "persistent_id": "" if asb else crime.persistent_id,
        "id": crime.id,
        "location_subtype": "",
        "month": crime.month,
    }


def crimes(found: LocatedCrimes) -> list[Json]:
    """``crime`` for many rows, unrolled: a busy square mile is thousands of them."""
    locations: dict[int, Json] = {}
    months = found.outcome_months
    out: list[Json] = []
    for row in found.crimes:
        crime_id, category, pid, outcome, context, month, force_id, location_id = row[:8]
        location = None if location_id is None else locations.get(location_id)
        if location is None and location_id is not None:
            location = _location(row, locations)
        asb = category == ANTI_SOCIAL_BEHAVIOUR
        out.append(
            {
                "category": category,
                "location_type": None
                if location_id is None
                else ("BTP" if force_id == "btp" else "Force"),
                "location": location,
                "context": context,
                "persistent_id": "" if asb else pid,
                "id": crime_id,
                "location_subtype": "",
                "month": month,
                "outcome_status": None
                if asb or not outcome
                else {"category": outcome, "date": months.get(pid, month)},
            }
        )
    return out


def outcome_category(name: str) -> Json:
    return {"code": outcome_code(name), "name": name}


def outcome_at_location(row: OutcomeRow) -> Json:
    return {
        "category": outcome_category(row.outcome),
        "date": row.month,
        "person_id": None,
        "crime": crime_core(row.crime),
    }


def crime_outcomes(row: CrimeRow, outcomes: list[tuple[str, str]]) -> Json:
    return {
        "crime": crime_core(row),
        "outcomes": [
            {"category": outcome_category(name), "date": month, "person_id": None}
            for name, month in outcomes
        ],
    }


def stop(row: StopRow) -> Json:
    moment = row.datetime.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return {
        "age_range": row.age_range or None,
        "officer_defined_ethnicity": row.officer_defined_ethnicity or None,
        "involved_person": row.involved_person,
        "self_defined_ethnicity": row.self_defined_ethnicity or None,
        "gender": row.gender or None,
        "legislation": row.legislation or None,
        "outcome_linked_to_object_of_search": row.outcome_linked_to_object_of_search,
        "datetime": moment,
        "outcome_object": {"id": stop_outcome_id(row.outcome), "name": row.outcome},
        "location": _location(row),
        "object_of_search": row.object_of_search or None,
        "operation": row.part_of_policing_operation,
        "outcome": row.outcome,
        "type": row.type,
        "operation_name": row.policing_operation or None,
        "removal_of_more_than_outer_clothing": row.removal_of_more_than_outer_clothing,
    }


def force_detail(force: Force, methods: list[EngagementMethod]) -> Json:
    return {
        "description": force.description or None,
        "url": force.url,
        "engagement_methods": [
            {
                "url": method.url,
                "description": method.description or None,
                "title": method.title,
                "type": method.type,
            }
            for method in methods
        ],
        "telephone": force.telephone,
        "id": force.id,
        "name": force.name,
    }


def person(member: TeamMember | SeniorOfficer) -> Json:
    return {
        "bio": member.bio or None,
        "contact_details": ordered_contact_details(member.contact_details),
        "name": member.name,
        "rank": member.rank,
    }


def neighbourhood_detail(
    neighbourhood: Neighbourhood,
    links: list[NeighbourhoodLink],
    locations: list[NeighbourhoodLocation],
) -> Json:
    contact = getattr(neighbourhood, "team_contact", None)
    return {
        "url_force": neighbourhood.url_force,
        "contact_details": ordered_contact_details(contact.contact_details) if contact else {},
        "name": neighbourhood.name,
        # No nulls inside links and locations: uk-police-api types them dict[str, str].
        "links": [
            {"url": link.url, "description": link.description, "title": link.title}
            for link in links
        ],
        "centre": {
            "latitude": coordinate(neighbourhood.centre_lat),
            "longitude": coordinate(neighbourhood.centre_lng),
        },
        "locations": [_place(location) for location in locations],
        # ukpol-cli strips tags from the description and fails on null.
        "description": neighbourhood.description,
        "id": neighbourhood.code,
        "population": str(neighbourhood.population or 0),
    }


def _place(location: NeighbourhoodLocation) -> Json:
    return {
        "name": location.name,
        "longitude": coordinate(location.longitude),
        "postcode": location.postcode,
        "address": location.address,
        "latitude": coordinate(location.latitude),
        "type": location.type,
        "description": location.description,
        "telephone": location.telephone,
    }


def boundary(ring: list[tuple[float, float]]) -> list[Json]:
    return [
        {"latitude": coordinate(lat, 10), "longitude": coordinate(lng, 10)} for lat, lng in ring
    ]


def event(item: Event) -> Json:
    return {
        "contact_details": ordered_contact_details(item.contact_details),
        "description": item.description or None,
        "title": item.title,
        # police.uk has one line for where: an online event's is "Online: <how to join>".
        "address": item.place,
        "type": item.type,
        "start_date": naive_local(item.start),
        "end_date": naive_local(item.end),
    }


# police.uk's event types (the team's own, ``teams.EventType``) for an operation's activities.
# Enforcement and warrants have none: they never reach the API (``public_activities``).
ACTIVITY_EVENT_TYPES: dict[str, str] = {
    ActivityType.MOBILE_POLICE_STATION: EventType.MOBILE_POLICE_STATION,
    ActivityType.ONLINE_SURGERY: EventType.ONLINE_SURGERY,
    ActivityType.MEET_THE_COMMANDER: EventType.MEET_THE_COMMANDER,
    ActivityType.SPECIALIST_ADVICE: EventType.CRIME_PREVENTION,
    ActivityType.LITTER_PICK: EventType.LITTER_PICK,
    ActivityType.VEHICLE_CHECKS: EventType.CRIME_PREVENTION,
    ActivityType.DROP_IN: EventType.SURGERY,
    ActivityType.DOOR_TO_DOOR: EventType.DOOR_TO_DOOR,
    ActivityType.HIGH_VISIBILITY_PATROL: EventType.DAY_OF_ACTION,
    ActivityType.SCHOOL_VISIT: EventType.COMMUNITY_EVENT,
}


def activity(item: Activity) -> Json:
    """A public activity of an operation, in police.uk's event shape."""
    return {
        "contact_details": {},
        "description": item.description or None,
        "title": item.title,
        "address": activity_place(item),
        "type": ACTIVITY_EVENT_TYPES.get(item.type, EventType.OTHER),
        "start_date": naive_local(item.start),
        "end_date": naive_local(item.end),
    }


def listing(item: Event | Activity) -> Json:
    """A team's event or an operation's public activity, in police.uk's event shape."""
    return event(item) if isinstance(item, Event) else activity(item)


def priority(item: Priority) -> Json:
    return {
        "action": item.action or None,
        "issue-date": naive_local(item.issue_date),
        "action-date": naive_local(item.action_date),
        "issue": item.issue,
    }


_COUNTRIES = {
    "E92000001": "England",
    "W92000004": "Wales",
    "S92000003": "Scotland",
    "N92000002": "Northern Ireland",
}


def postcode(row: Postcode) -> Json:
    """The part of postcodes.io's ``/postcodes/<postcode>`` answer that Code-Point Open fills."""
    codes = {
        "admin_district": row.admin_district_code,
        "admin_county": row.admin_county_code,
        "admin_ward": row.admin_ward_code,
    }
    names = dict(
        AreaName.objects.filter(code__in=[code for code in codes.values() if code]).values_list(
            "code", "name"
        )
    )
    return {
        "status": 200,
        "result": {
            "postcode": row.postcode,
            "quality": row.quality,
            "eastings": row.easting,
            "northings": row.northing,
            "country": _COUNTRIES.get(row.country_code, row.country_code or None),
            "longitude": row.longitude,
            "latitude": row.latitude,
            **{key: names.get(code) for key, code in codes.items()},
            "codes": {key: code or None for key, code in codes.items()},
        },
    }
