"""Response shapes for the OpenAPI document, as police.uk gives them.

Views build their JSON directly (``serialisers``) and render it with orjson; these schemas
describe it for the OpenAPI document and the schemathesis run that checks the two agree.
"""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict, Field


class Named(Schema):
    id: str
    name: str


class Street(Schema):
    id: int
    name: str


class CrimeLocation(Schema):
    latitude: str
    street: Street
    longitude: str


class OutcomeStatus(Schema):
    category: str
    date: str = Field(description="YYYY-MM")


class CrimeCore(Schema):
    category: str
    location_type: str | None = Field(description='"Force", "BTP", or null with no location')
    location: CrimeLocation | None
    context: str
    persistent_id: str = Field(description='64 hex characters; "" for anti-social behaviour')
    id: int
    location_subtype: str
    month: str = Field(description="YYYY-MM")


class Crime(CrimeCore):
    outcome_status: OutcomeStatus | None


class OutcomeCategory(Schema):
    code: str
    name: str


class OutcomeEvent(Schema):
    category: OutcomeCategory
    date: str
    person_id: None = None


class OutcomeAtLocation(OutcomeEvent):
    crime: CrimeCore


class CrimeOutcomes(Schema):
    crime: CrimeCore
    outcomes: list[OutcomeEvent]


class Category(Schema):
    url: str
    name: str


class LastUpdated(Schema):
    date: str = Field(description="YYYY-MM-01: the latest month held")


class Availability(Schema):
    model_config = ConfigDict(populate_by_name=True)

    date: str
    stop_and_search: list[str] = Field(alias="stop-and-search")


class EngagementMethod(Schema):
    url: str
    description: str | None
    title: str
    type: str


class ForceDetail(Schema):
    description: str | None
    url: str
    engagement_methods: list[EngagementMethod]
    telephone: str
    id: str
    name: str


class Person(Schema):
    bio: str | None
    contact_details: dict[str, str]
    name: str
    rank: str


class Centre(Schema):
    latitude: str
    longitude: str


class Link(Schema):
    url: str
    description: str
    title: str


class Place(Schema):
    name: str
    longitude: str
    postcode: str
    address: str
    latitude: str
    type: str
    description: str
    telephone: str


class NeighbourhoodDetail(Schema):
    url_force: str
    contact_details: dict[str, str]
    name: str
    links: list[Link]
    centre: Centre
    locations: list[Place]
    description: str
    id: str
    population: str


class Vertex(Schema):
    latitude: str
    longitude: str


class NeighbourhoodEvent(Schema):
    contact_details: dict[str, str]
    description: str | None
    title: str
    address: str
    type: str
    start_date: str | None = Field(description="YYYY-MM-DDTHH:MM:SS, UK local time")
    end_date: str | None


class NeighbourhoodPriority(Schema):
    model_config = ConfigDict(populate_by_name=True)

    action: str | None
    issue_date: str | None = Field(alias="issue-date")
    action_date: str | None = Field(alias="action-date")
    issue: str


class Located(Schema):
    force: str
    neighbourhood: str


class StopOutcome(Schema):
    id: str
    name: str


class Stop(Schema):
    age_range: str | None
    officer_defined_ethnicity: str | None
    involved_person: bool
    self_defined_ethnicity: str | None
    gender: str | None
    legislation: str | None
    outcome_linked_to_object_of_search: bool | None
    datetime: str = Field(description="ISO 8601 in UTC, +00:00")
    outcome_object: StopOutcome
    location: CrimeLocation | None
    object_of_search: str | None
    operation: bool | None
    outcome: str
    type: str
    operation_name: str | None
    removal_of_more_than_outer_clothing: bool | None


class PostcodeCodes(Schema):
    admin_district: str | None
    admin_county: str | None
    admin_ward: str | None


class PostcodeResult(Schema):
    postcode: str
    quality: int
    eastings: int | None
    northings: int | None
    country: str | None
    longitude: float
    latitude: float
    admin_district: str | None
    admin_county: str | None
    admin_ward: str | None
    codes: PostcodeCodes


class PostcodeLookup(Schema):
    status: int
    result: PostcodeResult
