"""Route by route: police.uk's JSON shapes and value types (reference §3, §10 rules 4-6)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from police_world import CENTRE, P_BTP, P_BURGLARY, P_NO_LOCATION, P_THEFT, PoliceData

CRIME_KEYS = {
    "category",
    "location_type",
    "location",
    "context",
    "outcome_status",
    "persistent_id",
    "id",
    "location_subtype",
    "month",
}
STOP_KEYS = {
    "age_range",
    "officer_defined_ethnicity",
    "involved_person",
    "self_defined_ethnicity",
    "gender",
    "legislation",
    "outcome_linked_to_object_of_search",
    "datetime",
    "outcome_object",
    "location",
    "object_of_search",
    "operation",
    "outcome",
    "type",
    "operation_name",
    "removal_of_more_than_outer_clothing",
}
NAIVE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
POINT = f"lat={CENTRE[0]}&lng={CENTRE[1]}"


def get_json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"] == "application/json"
    return response.json()


def by_id(crimes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {crime["persistent_id"] or crime["category"]: crime for crime in crimes}


def assert_located_crime(crime: dict[str, Any]) -> None:
    assert set(crime) == CRIME_KEYS
    assert isinstance(crime["id"], int)
    location = crime["location"]
    assert isinstance(location["latitude"], str)
    assert re.match(r"^-?\d+\.\d{6}$", location["latitude"])
    assert isinstance(location["longitude"], str)
    assert isinstance(location["street"]["id"], int)
    assert location["street"]["name"].startswith("On or near")
    assert crime["location_subtype"] == ""
    assert crime["context"] == ""


def test_crimes_within_a_mile_have_police_uk_shape(client: Client, police_data: PoliceData) -> None:
    crimes = get_json(client, f"/api/crimes-street/all-crime?{POINT}&date=2025-02")
    for crime in crimes:
        assert_located_crime(crime)
    found = by_id(crimes)
    # Far Corner is inside the bounding box but 1.2 miles away; Hanley is further still.
    assert set(found) == {P_THEFT, P_BURGLARY, P_BTP, "anti-social-behaviour"}
    theft = found[P_THEFT]
    assert theft["month"] == "2025-02"
    assert theft["location_type"] == "Force"
    assert theft["location"] == {
        "latitude": "52.988000",
        "street": {"id": 1001, "name": "On or near Market Street"},
        "longitude": "-2.131000",
    }
    # The latest outcome's month comes from the outcomes file.
    assert theft["outcome_status"] == {"category": "Unable to prosecute suspect", "date": "2025-03"}
    assert found[P_BURGLARY]["outcome_status"] is None
    assert found[P_BTP]["location_type"] == "BTP"


def test_anti_social_behaviour_has_no_persistent_id_and_no_outcome(
    client: Client, police_data: PoliceData
) -> None:
    crimes = get_json(client, f"/api/crimes-street/anti-social-behaviour?{POINT}&date=2025-02")
    assert [c["category"] for c in crimes] == ["anti-social-behaviour"]
    assert crimes[0]["persistent_id"] == ""
    assert crimes[0]["outcome_status"] is None


def test_the_latest_month_is_the_default(client: Client, police_data: PoliceData) -> None:
    assert get_json(client, f"/api/crimes-street/all-crime?{POINT}") == get_json(
        client, f"/api/crimes-street/all-crime?{POINT}&date=2025-02"
    )
    january = get_json(client, f"/api/crimes-street/burglary?{POINT}&date=2025-01")
    assert [c["month"] for c in january] == ["2025-01"]


def test_crimes_in_a_polygon_by_get_and_by_form_post(
    client: Client, police_data: PoliceData
) -> None:
    poly = "52.98,-2.14:52.98,-2.12:52.995,-2.12:52.995,-2.14"
    by_get = get_json(client, f"/api/crimes-street/all-crime?poly={poly}&date=2025-02")
    response = client.post("/api/crimes-street/all-crime", {"poly": poly, "date": "2025-02"})
    assert response.status_code == 200
    assert response.json() == by_get
    assert {c["persistent_id"] for c in by_get} == {P_THEFT, P_BURGLARY, P_BTP, ""}


def test_crimes_at_a_location_by_id_and_by_nearest_point(
    client: Client, police_data: PoliceData
) -> None:
    by_id_ = get_json(client, "/api/crimes-at-location?location_id=1001&date=2025-02")
    assert {c["location"]["street"]["id"] for c in by_id_} == {1001}
    assert len(by_id_) == 3
    nearest = get_json(client, "/api/crimes-at-location?lat=52.98801&lng=-2.13102&date=2025-02")
    assert nearest == by_id_
    # uk-police-api sends location_id to crimes-street: the same crimes, by category.
    thefts = get_json(client, "/api/crimes-street/other-theft?location_id=1001&date=2025-02")
    assert [c["persistent_id"] for c in thefts] == [P_THEFT]


def test_crimes_with_no_location(client: Client, police_data: PoliceData) -> None:
    crimes = get_json(
        client, "/api/crimes-no-location?category=all-crime&force=staffordshire&date=2025-02"
    )
    assert len(crimes) == 1
    crime = crimes[0]
    assert set(crime) == CRIME_KEYS
    assert crime["location"] is None
    assert crime["location_type"] is None
    assert crime["location_subtype"] == ""
    assert crime["persistent_id"] == P_NO_LOCATION
    assert crime["outcome_status"] == {
        "category": "Investigation complete; no suspect identified",
        "date": "2025-02",
    }


def test_crime_categories_list_every_slug_in_police_uk_order(
    client: Client, police_data: PoliceData
) -> None:
    categories = get_json(client, "/api/crime-categories?date=2025-02")
    assert categories[0] == {"url": "all-crime", "name": "All crime"}
    assert categories[-1] == {"url": "other-crime", "name": "Other crime"}
    assert {"url": "violent-crime", "name": "Violence and sexual offences"} in categories
    assert len(categories) == 15
    used = {c["category"] for c in get_json(client, f"/api/crimes-street/all-crime?{POINT}")}
    assert used <= {c["url"] for c in categories}


def test_last_updated_and_dates(client: Client, police_data: PoliceData) -> None:
    assert get_json(client, "/api/crime-last-updated") == {"date": "2025-02-01"}
    assert get_json(client, "/api/crimes-street-dates") == [
        {"date": "2025-02", "stop-and-search": ["staffordshire"]},
        {"date": "2025-01", "stop-and-search": []},
    ]


def test_outcomes_for_a_crime(client: Client, police_data: PoliceData) -> None:
    body = get_json(client, f"/api/outcomes-for-crime/{P_THEFT}")
    assert set(body) == {"crime", "outcomes"}
    assert set(body["crime"]) == CRIME_KEYS - {"outcome_status"}
    assert body["outcomes"] == [
        {
            "category": {"code": "under-investigation", "name": "Under investigation"},
            "date": "2025-02",
            "person_id": None,
        },
        {
            "category": {"code": "unable-to-prosecute", "name": "Unable to prosecute suspect"},
            "date": "2025-03",
            "person_id": None,
        },
    ]
    # A crime with no outcome events still gets a list, never null.
    assert get_json(client, f"/api/outcomes-for-crime/{P_BURGLARY}")["outcomes"] == []


def test_outcomes_at_a_location_near_a_point_and_in_a_polygon(
    client: Client, police_data: PoliceData
) -> None:
    at = get_json(client, "/api/outcomes-at-location?location_id=1001&date=2025-03")
    assert len(at) == 1
    assert set(at[0]) == {"category", "date", "person_id", "crime"}
    assert at[0]["category"] == {
        "code": "unable-to-prosecute",
        "name": "Unable to prosecute suspect",
    }
    assert at[0]["crime"]["persistent_id"] == P_THEFT
    assert "outcome_status" not in at[0]["crime"]
    assert get_json(client, f"/api/outcomes-at-location?{POINT}&date=2025-03") == at
    poly = "52.98,-2.14:52.995,-2.14:52.995,-2.12"
    assert get_json(client, f"/api/outcomes-at-location?poly={poly}&date=2025-03") == at


def test_stop_and_search_shapes(client: Client, police_data: PoliceData) -> None:
    stops = get_json(client, f"/api/stops-street?{POINT}&date=2025-02")
    assert len(stops) == 2
    for stop in stops:
        assert set(stop) == STOP_KEYS
        assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$", stop["datetime"])
        assert isinstance(stop["location"]["latitude"], str)
    vehicle, person = stops  # oldest first
    assert person["outcome"] == "A no further action disposal"
    assert person["outcome_object"] == {
        "id": "bu-no-further-action",
        "name": "A no further action disposal",
    }
    assert person["involved_person"] is True
    assert vehicle["outcome"] == ""
    assert vehicle["outcome_object"] == {"id": "", "name": ""}
    assert vehicle["gender"] is None
    assert vehicle["involved_person"] is False
    assert get_json(client, "/api/stops-at-location?location_id=1001&date=2025-02") == [person]
    unlocated = get_json(client, "/api/stops-no-location?force=staffordshire&date=2025-02")
    assert len(unlocated) == 1
    assert unlocated[0]["location"] is None
    assert unlocated[0]["operation"] is True
    assert unlocated[0]["operation_name"] == "Operation Sceptre"
    assert len(get_json(client, "/api/stops-force?force=staffordshire&date=2025-02")) == 3


def test_forces_and_their_people(client: Client, police_data: PoliceData) -> None:
    forces = get_json(client, "/api/forces")
    assert {"id": "staffordshire", "name": "Staffordshire Police"} in forces
    assert "btp" not in {f["id"] for f in forces}
    force = get_json(client, "/api/forces/staffordshire")
    assert force == {
        "description": None,
        "url": "https://www.staffordshire.police.uk/",
        "engagement_methods": [
            {
                "url": "https://www.facebook.com/staffspolice",
                "description": None,
                "title": "Facebook",
                "type": "facebook",
            }
        ],
        "telephone": "101",
        "id": "staffordshire",
        "name": "Staffordshire Police",
    }
    assert get_json(client, "/api/forces/staffordshire/people") == [
        {
            "bio": None,
            "contact_details": {"twitter": "https://x.com/staffspolice"},
            "name": "Chris Noble",
            "rank": "Chief Constable",
        }
    ]


def test_neighbourhoods_and_their_detail(client: Client, police_data: PoliceData) -> None:
    assert get_json(client, "/api/staffordshire/neighbourhoods") == [
        {"id": "SOT.HANLEY", "name": "Hanley"},
        {"id": "SOT.LONGTON", "name": "Longton"},
    ]
    detail = get_json(client, "/api/staffordshire/SOT.LONGTON")
    assert detail == {
        "url_force": "",
        "contact_details": {"email": "longton@example.police.uk", "telephone": "101"},
        "name": "Longton",
        "links": [
            {
                "url": "https://www.stoke.gov.uk/",
                "description": "",
                "title": "Stoke-on-Trent City Council",
            }
        ],
        "centre": {"latitude": "52.987500", "longitude": "-2.130000"},
        "locations": [
            {
                "name": "Longton Police Station",
                "longitude": "",
                "postcode": "ST3 1HH",
                "address": "Sutherland Road, Longton",
                "latitude": "",
                "type": "station",
                "description": "",
                "telephone": "",
            }
        ],
        "description": "",
        "id": "SOT.LONGTON",
        "population": "21000",
    }
    hanley = get_json(client, "/api/staffordshire/SOT.HANLEY")
    assert hanley["population"] == "0"
    assert hanley["contact_details"] == {}
    assert hanley["links"] == []


def test_boundary_is_a_closed_ring_of_ten_place_strings(
    client: Client, police_data: PoliceData
) -> None:
    ring = get_json(client, "/api/staffordshire/SOT.LONGTON/boundary")
    assert len(ring) == 5
    assert ring[0] == ring[-1]
    assert ring[0] == {"latitude": "52.9750000000", "longitude": "-2.1500000000"}


def test_team_events_and_priorities(client: Client, police_data: PoliceData) -> None:
    people = get_json(client, "/api/staffordshire/SOT.LONGTON/people")
    assert [p["name"] for p in people] == ["Jo Bloggs", "Sam Patel"]
    assert people[0] == {
        "bio": "<p>Jo leads the team.</p>",
        "contact_details": {},
        "name": "Jo Bloggs",
        "rank": "Sgt",
    }
    events = get_json(client, "/api/staffordshire/SOT.LONGTON/events")
    assert [e["title"] for e in events] == ["Meet the commander", "Mobile police station"]
    for event in events:
        assert set(event) == {
            "contact_details",
            "description",
            "title",
            "address",
            "type",
            "start_date",
            "end_date",
        }
        assert NAIVE.match(event["start_date"])
    assert events[0]["end_date"] is None
    assert NAIVE.match(events[1]["end_date"])
    priorities = get_json(client, "/api/staffordshire/SOT.LONGTON/priorities")
    assert priorities == [
        {
            "action": None,
            "issue-date": "2025-03-01T00:00:00",
            "action-date": None,
            "issue": "<p>ASB in Times Square</p>",
        },
        {
            "action": "<p>Speed checks on six days</p>",
            "issue-date": "2025-01-14T10:00:00",
            # Naive UK local time: 09:30 UTC in July is 10:30 BST.
            "action-date": "2025-07-01T10:30:00",
            "issue": "<p>Speeding on Uttoxeter Road</p>",
        },
    ]


def test_locate_neighbourhood(client: Client, police_data: PoliceData) -> None:
    assert get_json(client, f"/api/locate-neighbourhood?q={CENTRE[0]},{CENTRE[1]}") == {
        "force": "staffordshire",
        "neighbourhood": "SOT.LONGTON",
    }
    # Spaces round the numbers, as a jQuery client sends them.
    assert (
        get_json(client, "/api/locate-neighbourhood?q=53.02 , -2.17")["neighbourhood"]
        == "SOT.HANLEY"
    )


def test_postcode_lookup_in_postcodes_io_shape(client: Client, police_data: PoliceData) -> None:
    for url in ("/postcodes/ST31AA", "/api/postcodes/st3%201aa"):
        body = get_json(client, url)
        assert body["status"] == 200
        assert body["result"]["postcode"] == "ST3 1AA"
        assert body["result"]["latitude"] == pytest.approx(52.9875)
        assert body["result"]["longitude"] == pytest.approx(-2.1305)
        assert body["result"]["country"] == "England"
    assert get_json(client, "/postcodes/ZZ99ZZ", status=404) == {
        "status": 404,
        "error": "Postcode not found",
    }
