"""A small, hand-made police.uk world for the open API's tests, built with the ORM.

Staffordshire, two neighbourhoods (Longton and Hanley) with square boundaries, a handful of
published locations round Longton's centre (one just outside the mile, inside its bounding
box), crimes in two months, outcomes, stop and search, and Longton's team, priorities and events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from beatbook.opendata.models import Crime, Location, Outcome, StopAndSearch
from beatbook.places.models import Force, Neighbourhood, Postcode
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.teams import services

CENTRE = (52.9870, -2.1300)  # Longton, where the 1-mile queries are centred
P_THEFT = "a1" * 32
P_BURGLARY = "b2" * 32
P_NO_LOCATION = "c3" * 32
P_OLD = "d4" * 32
P_BTP = "e5" * 32


@dataclass
class PoliceData:
    force: Force
    longton: Neighbourhood
    hanley: Neighbourhood
    market_street: Location
    uttoxeter_road: Location
    far_corner: Location
    bus_station: Location


def square(min_lat: float, max_lat: float, min_lng: float, max_lng: float) -> dict[str, object]:
    ring = [
        [min_lng, min_lat],
        [max_lng, min_lat],
        [max_lng, max_lat],
        [min_lng, max_lat],
        [min_lng, min_lat],
    ]
    return {
        "boundary": {"type": "Polygon", "coordinates": [ring]},
        "min_lat": min_lat,
        "max_lat": max_lat,
        "min_lng": min_lng,
        "max_lng": max_lng,
        "centre_lat": (min_lat + max_lat) / 2,
        "centre_lng": (min_lng + max_lng) / 2,
    }


def _source(kind: str, force: Force, month: str) -> SourceFile:
    return SourceFile.objects.create(
        kind=kind,
        path=f"/data/{month}-{force.id}-{kind}.csv",
        sha256=f"{kind}{month}".ljust(64, "0")[:64],
        force=force,
        month=month,
        status=SourceStatus.LOADED,
        started_at=timezone.now(),
    )


def _location(pk: int, lat: float, lng: float, name: str) -> Location:
    return Location.objects.create(
        id=pk, latitude=lat, longitude=lng, name=name, easting=390000, northing=343000
    )


def _crime(source: SourceFile, location: Location | None, category: str, **fields: object) -> Crime:
    return Crime.objects.create(
        force=source.force,
        falls_within=source.force,
        month=source.month,
        category=category,
        location=location,
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
        lsoa_code="E01014213" if location else "",
        source=source,
        **fields,
    )


def _stop(source: SourceFile, location: Location | None, **fields: object) -> StopAndSearch:
    values: dict[str, object] = {
        "force": source.force,
        "month": source.month,
        "datetime": datetime(2025, 2, 14, 22, 45, tzinfo=UTC),
        "type": "Person search",
        "involved_person": True,
        "location": location,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "gender": "Male",
        "age_range": "18-24",
        "self_defined_ethnicity": "Other ethnic group - Not stated",
        "officer_defined_ethnicity": "White",
        "legislation": "Misuse of Drugs Act 1971 (section 23)",
        "object_of_search": "Controlled drugs",
        "outcome": "A no further action disposal",
        "source": source,
    }
    values.update(fields)
    return StopAndSearch.objects.create(**values)


def build_police_data() -> PoliceData:
    force, _ = Force.objects.update_or_create(
        id="staffordshire",
        defaults={
            "name": "Staffordshire Police",
            "url": "https://www.staffordshire.police.uk/",
            "telephone": "101",
            "listed": True,
        },
    )
    btp, _ = Force.objects.update_or_create(
        id="btp", defaults={"name": "British Transport Police", "listed": False}
    )
    longton = Neighbourhood.objects.create(
        force=force,
        code="SOT.LONGTON",
        name="Longton",
        population=21000,
        **square(52.975, 53.000, -2.150, -2.110),
    )
    hanley = Neighbourhood.objects.create(
        force=force, code="SOT.HANLEY", name="Hanley", **square(53.010, 53.040, -2.200, -2.150)
    )
    market = _location(1001, 52.988000, -2.131000, "On or near Market Street")
    uttoxeter = _location(1002, 52.990000, -2.125000, "On or near Uttoxeter Road")
    far = _location(1003, 52.999000, -2.110000, "On or near Far Corner")
    bus = _location(1004, 53.025000, -2.175000, "On or near Hanley Bus Station")

    january = _source(SourceKind.STREET, force, "2025-01")
    february = _source(SourceKind.STREET, force, "2025-02")
    btp_february = _source(SourceKind.STREET, btp, "2025-02")
    outcomes = _source(SourceKind.OUTCOMES, force, "2025-03")
    stops = _source(SourceKind.STOP_AND_SEARCH, force, "2025-02")

    _crime(january, market, "burglary", persistent_id=P_OLD, outcome="Under investigation")
    _crime(
        february,
        market,
        "other-theft",
        persistent_id=P_THEFT,
        outcome="Unable to prosecute suspect",
    )
    _crime(february, market, "anti-social-behaviour")
    _crime(february, uttoxeter, "burglary", persistent_id=P_BURGLARY)
    _crime(february, far, "vehicle-crime", persistent_id="f6" * 32)
    _crime(february, bus, "shoplifting", persistent_id="a7" * 32)
    _crime(
        february,
        None,
        "bicycle-theft",
        persistent_id=P_NO_LOCATION,
        outcome="Investigation complete; no suspect identified",
    )
    _crime(btp_february, market, "public-order", persistent_id=P_BTP)

    Outcome.objects.create(
        force=force,
        month="2025-02",
        persistent_id=P_THEFT,
        outcome="Under investigation",
        location=market,
        latitude=market.latitude,
        longitude=market.longitude,
        source=outcomes,
    )
    Outcome.objects.create(
        force=force,
        month="2025-03",
        persistent_id=P_THEFT,
        outcome="Unable to prosecute suspect",
        location=market,
        latitude=market.latitude,
        longitude=market.longitude,
        source=outcomes,
    )

    _stop(stops, market)
    _stop(
        stops,
        uttoxeter,
        type="Vehicle search",
        involved_person=False,
        outcome="",
        gender="",
        age_range="",
        datetime=datetime(2025, 2, 3, 9, 5, tzinfo=UTC),
        part_of_policing_operation=False,
        removal_of_more_than_outer_clothing=False,
        outcome_linked_to_object_of_search=None,
    )
    _stop(
        stops,
        None,
        outcome="Arrest",
        policing_operation="Operation Sceptre",
        part_of_policing_operation=True,
    )

    Postcode.objects.create(
        postcode="ST3 1AA",
        quality=1,
        easting=391000,
        northing=343500,
        latitude=52.9875,
        longitude=-2.1305,
        country_code="E92000001",
    )

    _teams(force, longton)
    return PoliceData(force, longton, hanley, market, uttoxeter, far, bus)


def _teams(force: Force, longton: Neighbourhood) -> None:
    now = timezone.now()
    services.neighbourhood_contact_set(
        neighbourhood=longton,
        contact_details={"telephone": "101", "email": "longton@example.police.uk"},
    )
    services.team_member_create(
        neighbourhood=longton,
        name="Jo Bloggs",
        rank="Sgt",
        order=1,
        bio="<p>Jo leads the team.</p>",
    )
    services.team_member_create(
        neighbourhood=longton,
        name="Sam Patel",
        rank="PCSO 1234",
        order=2,
        contact_details={"twitter": "https://x.com/longtonpolice"},
    )
    services.priority_create(
        neighbourhood=longton,
        issue="<p>Speeding on Uttoxeter Road</p>",
        issue_date=datetime(2025, 1, 14, 10, 0, tzinfo=UTC),
        action="<p>Speed checks on six days</p>",
        action_date=datetime(2025, 7, 1, 9, 30, tzinfo=UTC),
    )
    services.priority_create(
        neighbourhood=longton,
        issue="<p>ASB in Times Square</p>",
        issue_date=datetime(2025, 3, 1, tzinfo=UTC),
    )
    services.event_create(
        neighbourhood=longton,
        title="Mobile police station",
        type="mobile-police-station",
        address="Longton Exchange",
        start=now + timedelta(days=3),
        end=now + timedelta(days=3, hours=2),
    )
    services.event_create(
        neighbourhood=longton,
        title="Meet the commander",
        start=now + timedelta(days=1),
        contact_details={"email": "longton@example.police.uk"},
    )
    services.event_create(
        neighbourhood=longton,
        title="Last week's surgery",
        start=now - timedelta(days=7),
        end=now - timedelta(days=7, hours=-1),
    )
    services.neighbourhood_link_create(
        neighbourhood=longton, title="Stoke-on-Trent City Council", url="https://www.stoke.gov.uk/"
    )
    services.neighbourhood_location_create(
        neighbourhood=longton,
        name="Longton Police Station",
        address="Sutherland Road, Longton",
        postcode="ST3 1HH",
    )
    services.senior_officer_create(
        force=force,
        name="Chris Noble",
        rank="Chief Constable",
        contact_details={"twitter": "https://x.com/staffspolice"},
    )
    services.engagement_method_create(
        force=force, type="facebook", title="Facebook", url="https://www.facebook.com/staffspolice"
    )
