"""Sample operations for the demo (issue 14), dated from today and flagged ``sample``.

- **Longton community action week**: Stoke South's team and Stoke-on-Trent City Council, six
  days from the next Monday: the mobile police station at Tesco Extra Longton on Monday and
  Thursday and at Phoenix Retail Park on Tuesday, an online surgery on Wednesday at 7pm, the
  new deputy commander at Longton Market on Friday 10am to 12pm with specialist advice on
  drugs, alcohol and employment, and law enforcement all week that is never published.
- **A Longton day of action four weeks ago**: door-to-door visits with fire and rescue and a
  litter pick, with its results recorded, so that "what we did" has something to say.
- **Neighbourhood Policing Week**, force-wide, last month: the week Merseyside runs, held here
  in Staffordshire because the demo's data is Staffordshire's.
- **A day of action in the west end of Crewe** (Cheshire), a fortnight on: a serious and
  organised crime group of police, council, fire and rescue, a social landlord, social care
  and probation visits residents at home, with a drop-in centre on the day. Made only where the
  demo's data holds Crewe's LSOAs (``demo.bundle.CREWE_WEST_LSOAS``).

Each refresh deletes the previous sample operations (cascading to their activities and
results) and makes them again; nothing staff entered is touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.demo.people import POLICE
from beatbook.demo.venues import Venue, venues_by_neighbourhood
from beatbook.operations import services
from beatbook.operations.door_lists import DoorListError, visit_routes_build
from beatbook.operations.models import (
    Activity,
    ActivityType,
    AreaChoice,
    Measure,
    Operation,
    OperationKind,
)
from beatbook.operations.operation_results import activity_results_record
from beatbook.places.models import Force, Lsoa, Neighbourhood, Postcode

LONDON = ZoneInfo("Europe/London")
COUNCIL = "Stoke-on-Trent City Council"
FIRE = "Staffordshire Fire and Rescue Service"
# The public places police.uk publishes in Longton that stand for the week's venues.
TESCO_KIND, MARKET_KIND = "Supermarket car park", "Shopping area"


@dataclass(frozen=True)
class DemoOperationsSummary:
    operations: int
    activities: int

    def __str__(self) -> str:
        return f"{self.operations} operations with {self.activities} activities (sample content)"


@dataclass(frozen=True)
class _Cast:
    """Staffordshire's organisations in the samples, and the sergeant who leads them."""

    police: Organisation
    council: Organisation
    fire: Organisation
    sergeant: User


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _organisation(name: str, kind: str, force: Force) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    return found or organisation_create(name=name, kind=kind, force=force)


def _named_lead(username: str, first: str, last: str, organisation: Organisation) -> User:
    """A person to name as a lead: no password, so nobody can sign in as them."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            username=username, password=None, first_name=first, last_name=last, is_staff=True
        )
        membership_grant(
            user=user,
            organisation=organisation,
            role=Role.NEIGHBOURHOOD_OFFICER
            if organisation.kind == OrganisationKind.POLICE_FORCE
            else Role.PARTNER,
            force=organisation.force,
        )
    return user


def _kind(slug: str) -> OperationKind:
    return OperationKind.objects.get(slug=slug)


def _activity(operation: Operation, **fields: object) -> Activity:
    activity = services.activity_create(
        operation=operation,
        details=services.ActivityDetails(**fields),  # type: ignore[arg-type]
    )
    Activity.objects.filter(pk=activity.pk).update(sample=True)
    return activity


def _record(activity: Activity, organisation: Organisation, counts: dict[Measure, int]) -> None:
    by_value = {measure.value: count for measure, count in counts.items()}
    activity_results_record(activity=activity, organisation=organisation, counts=by_value, by=None)


def _venue_fields(venue: Venue, name: str) -> dict[str, object]:
    address = f"{venue.street}, {venue.postcode}" if venue.postcode else venue.street
    fields: dict[str, object] = {"venue_name": name, "venue_address": address}
    if venue.latitude and venue.longitude:
        fields.update(latitude=venue.latitude, longitude=venue.longitude)
    return fields


def _venue_near(
    latitude: float, longitude: float, name: str, town: str = "Longton"
) -> dict[str, object]:
    """A venue at the postcode nearest a point (the point itself where none is near)."""
    box = Postcode.objects.filter(
        latitude__range=(latitude - 0.01, latitude + 0.01),
        longitude__range=(longitude - 0.015, longitude + 0.015),
    ).values_list("postcode", "latitude", "longitude")
    nearest = min(
        box,
        key=lambda row: (
            (float(row[1] or 0) - latitude) ** 2 + (float(row[2] or 0) - longitude) ** 2
        ),
        default=None,
    )
    if nearest is None:
        return {
            "venue_name": name,
            "venue_address": town,
            "latitude": latitude,
            "longitude": longitude,
        }
    return {"venue_name": name, "venue_address": f"{town}, {nearest[0]}"}


def _central_venue(neighbourhood: Neighbourhood, name: str) -> dict[str, object]:
    """A place at the neighbourhood's heart (its inside point)."""
    return _venue_near(
        float(neighbourhood.centre_lat or 0.0),
        float(neighbourhood.centre_lng or 0.0),
        name,
        town=neighbourhood.name,
    )


def _longton_week(longton: Neighbourhood, people: _Cast, monday: date) -> Operation:
    police, council = people.police, people.council
    week = services.operation_create(
        by=people.sergeant,
        details=services.OperationDetails(
            name="Longton community action week",
            kind=_kind("community-action-week"),
            lead=people.sergeant,
            lead_organisation=police,
            first_day=monday,
            last_day=monday + timedelta(days=5),
            summary="Stoke South's neighbourhood team and Stoke-on-Trent City Council are in "
            "Longton all week: come and talk to us at the mobile police station, ask the "
            "specialist officers your questions online, and meet the new deputy commander.",
            objectives="Reassure residents and businesses about anti-social behaviour and "
            "theft; target driving offences and vehicle crime; connect people with drug, "
            "alcohol and employment support.",
            public=True,
            area_choice=AreaChoice.NEIGHBOURHOODS,
            neighbourhoods=[longton],
            priorities=list(longton.priorities.filter(sample=True)[:2]),
        ),
    )
    services.partner_add(
        operation=week,
        organisation=council,
        contact_name="Dee Hughes, community safety officer",
        contact_email="community.safety@example.stoke.gov.uk",
    )
    venues = {
        v.name.split(",")[0]: v for v in venues_by_neighbourhood([longton]).get(longton.pk, [])
    }
    tesco = (
        _venue_fields(venues[TESCO_KIND], "Tesco Extra Longton car park")
        if TESCO_KIND in venues
        else _central_venue(longton, "Tesco Extra Longton car park")
    )
    market = (
        _venue_fields(venues[MARKET_KIND], "Longton Market")
        if MARKET_KIND in venues
        else _central_venue(longton, "Longton Market")
    )
    phoenix = _central_venue(longton, "Phoenix Retail Park car park")
    station = (
        "Talk to officers and Stoke-on-Trent City Council staff in the mobile police station: "
        "report a crime, get crime prevention advice or tell us what worries you."
    )
    both = [police, council]
    day = [monday + timedelta(days=n) for n in range(6)]
    plan: list[dict[str, object]] = [
        dict(
            title="Mobile police station at Tesco Extra Longton",
            type=ActivityType.MOBILE_POLICE_STATION,
            start=_at(day[0], 10),
            end=_at(day[0], 15),
            description=station,
            **tesco,
        ),
        dict(
            title="Mobile police station at Phoenix Retail Park",
            type=ActivityType.MOBILE_POLICE_STATION,
            start=_at(day[1], 10),
            end=_at(day[1], 15),
            description=station,
            **phoenix,
        ),
        {
            "title": "Online surgery with specialist officers",
            "type": ActivityType.ONLINE_SURGERY,
            "start": _at(day[2], 19),
            "end": _at(day[2], 20),
            "online": True,
            "joining_details": "Send your question on the surgery page, before or during it",
            "description": "Chat live with specialist officers about drugs, anti-social "
            "behaviour and vehicle crime.",
        },
        dict(
            title="Mobile police station at Tesco Extra Longton",
            type=ActivityType.MOBILE_POLICE_STATION,
            start=_at(day[3], 10),
            end=_at(day[3], 15),
            description=station,
            **tesco,
        ),
        dict(
            title="Meet the deputy commander at Longton Market",
            type=ActivityType.MEET_THE_COMMANDER,
            start=_at(day[4], 10),
            end=_at(day[4], 12),
            description="Stoke-on-Trent's new deputy commander meets residents and business "
            "owners.",
            **market,
        ),
        dict(
            title="Specialist advice: drugs, alcohol and employment",
            type=ActivityType.SPECIALIST_ADVICE,
            start=_at(day[4], 10),
            end=_at(day[4], 12),
            description="The council's specialists on drug and alcohol services and on "
            "finding work.",
            **market,
        ),
    ]
    for fields in plan:
        _activity(week, public=True, organisations=both, **fields)
    enforcement = (
        ("Enforcement: anti-social behaviour and theft", day[0], 7, day[5], 23),
        ("Enforcement: driving offences and vehicle crime", day[0], 6, day[5], 22),
    )
    for title, first, start, last, end in enforcement:
        _activity(
            week,
            title=title,
            type=ActivityType.ENFORCEMENT,
            start=_at(first, start),
            end=_at(last, end),
            public=False,
            organisations=[police],
            **_central_venue(longton, "Longton"),
        )
    return week


def _longton_day(longton: Neighbourhood, people: _Cast, day: date) -> Operation:
    police, fire, council = people.police, people.fire, people.council
    operation = services.operation_create(
        by=people.sergeant,
        details=services.OperationDetails(
            name="Longton day of action: fire safety and county lines",
            kind=_kind("day-of-action"),
            lead=people.sergeant,
            lead_organisation=police,
            first_day=day,
            last_day=day,
            summary="Officers, firefighters and council staff called at homes in Longton with "
            "advice on fire safety and on spotting county lines exploitation, and cleared "
            "litter from the streets.",
            public=True,
            area_choice=AreaChoice.NEIGHBOURHOODS,
            neighbourhoods=[longton],
        ),
    )
    services.partner_add(
        operation=operation, organisation=fire, contact_name="Watch Manager Sam Lowe"
    )
    services.partner_add(operation=operation, organisation=council, contact_name="Dee Hughes")
    doors = _activity(
        operation,
        title="Door-to-door visits: fire safety and county lines",
        type=ActivityType.DOOR_TO_DOOR,
        start=_at(day, 10),
        end=_at(day, 16),
        public=True,
        organisations=[police, fire],
        **_central_venue(longton, "Meeting point in Longton"),
    )
    litter = _activity(
        operation,
        title="Litter pick with residents",
        type=ActivityType.LITTER_PICK,
        start=_at(day, 13),
        end=_at(day, 15),
        public=True,
        organisations=[council],
        **_central_venue(longton, "Litter pick meeting point"),
    )
    warrant = _activity(
        operation,
        title="Drugs warrant",
        type=ActivityType.WARRANT,
        start=_at(day, 6),
        end=_at(day, 8),
        public=False,
        organisations=[police],
        **_central_venue(longton, "Longton"),
    )
    _record(
        doors,
        police,
        {Measure.VISITS: 212, Measure.DOORS_ANSWERED: 131, Measure.PEOPLE_ENGAGED: 140},
    )
    _record(
        doors, fire, {Measure.VISITS: 96, Measure.DOORS_ANSWERED: 58, Measure.REFERRALS_FIRE: 9}
    )
    _routes(
        doors,
        [
            "PC Kofi Walker and Firefighter Jo Shaw",
            "PCSO Emma Lowe and Firefighter Dan Wright",
            "PC Priya Khan and Firefighter Tom Bailey",
            "PCSO Chris Turner and Ali Hughes (council)",
        ],
    )
    _record(litter, council, {Measure.LITTER_BAGS: 34, Measure.PEOPLE_ENGAGED: 22})
    _record(
        warrant,
        police,
        {Measure.WARRANTS_EXECUTED: 1, Measure.ARRESTS: 2, Measure.DRUGS_SEIZURES: 1},
    )
    return operation


def _routes(activity: Activity, visitors: list[str]) -> None:
    """Walking routes over the area, one a pair; none where the demo holds no postcodes."""
    try:
        visit_routes_build(activity=activity, pairs=len(visitors), visitors=visitors)
    except DoorListError:
        return


def _policing_week(force: Force, people: _Cast, monday: date) -> Operation:
    police, council = people.police, people.council
    neighbourhoods = list(Neighbourhood.objects.filter(force=force).order_by("name"))
    operation = services.operation_create(
        by=people.sergeant,
        details=services.OperationDetails(
            name="Neighbourhood Policing Week",
            kind=_kind("neighbourhood-policing-week"),
            lead=people.sergeant,
            lead_organisation=police,
            first_day=monday,
            last_day=monday + timedelta(days=6),
            summary="A week across the force of showing residents what their neighbourhood "
            "teams do, and of solving local problems with partners.",
            public=True,
            area_choice=AreaChoice.NEIGHBOURHOODS,
            neighbourhoods=neighbourhoods,
        ),
    )
    services.partner_add(operation=operation, organisation=council, contact_name="Dee Hughes")
    plan = [
        (
            0,
            "High-visibility patrols in every town centre",
            ActivityType.HIGH_VISIBILITY_PATROL,
            {Measure.PEOPLE_ENGAGED: 860, Measure.STOP_SEARCHES: 14, Measure.ARRESTS: 6},
        ),
        (
            1,
            "School visits: staying safe online",
            ActivityType.SCHOOL_VISIT,
            {Measure.PEOPLE_ENGAGED: 1240},
        ),
        (
            3,
            "Vehicle checks with the council's licensing team",
            ActivityType.VEHICLE_CHECKS,
            {Measure.VEHICLES_SEIZED: 7, Measure.WARNINGS: 31},
        ),
    ]
    for offset, title, kind, counts in plan:
        day = monday + timedelta(days=offset)
        centre = neighbourhoods[offset % len(neighbourhoods)]
        activity = _activity(
            operation,
            title=title,
            type=kind,
            start=_at(day, 9),
            end=_at(day, 17),
            public=True,
            organisations=[police],
            **_central_venue(centre, f"Starting in {centre.name}"),
        )
        _record(activity, police, counts)
    return operation


def _crewe_day(people: _Cast, day: date, codes: list[str]) -> Operation:
    cheshire = Force.objects.get(pk="cheshire")
    police = _organisation("Cheshire Constabulary", OrganisationKind.POLICE_FORCE, cheshire)
    partners = [
        ("Cheshire East Council", OrganisationKind.LOCAL_AUTHORITY, "Community safety team"),
        (
            "Cheshire Fire and Rescue Service",
            OrganisationKind.FIRE_AND_RESCUE,
            "Crewe fire station",
        ),
        ("Crewe social landlord (demo)", OrganisationKind.HOUSING, "Neighbourhood housing officer"),
        ("Cheshire East adult social care", OrganisationKind.LOCAL_AUTHORITY, "Duty social worker"),
        ("Probation Service, Cheshire", OrganisationKind.PROBATION, "Crewe probation office"),
    ]
    lead = _named_lead("demo-crewe-inspector", "Jordan", "Price", police)
    operation = services.operation_create(
        by=lead,
        details=services.OperationDetails(
            name="Crewe west end day of action",
            kind=_kind("day-of-action"),
            lead=lead,
            lead_organisation=police,
            first_day=day,
            last_day=day,
            summary="Police and partners visit homes in the west end of Crewe with advice on "
            "spotting county lines exploitation and on preventing arson. Drop in to see us on "
            "the day.",
            objectives="Disrupt county lines activity and cuckooing; protect vulnerable "
            "residents; reduce deliberate fires.",
            public=True,
            area_choice=AreaChoice.LSOAS,
            lsoa_codes=codes,
        ),
    )
    taking_part = [police]
    for name, kind, contact in partners:
        organisation = _organisation(name, kind, cheshire)
        services.partner_add(operation=operation, organisation=organisation, contact_name=contact)
        taking_part.append(organisation)
    centre = Lsoa.objects.filter(code__in=codes).order_by("code").first()
    where = _lsoa_venue(centre, "West End drop-in, community hall")
    doors = _activity(
        operation,
        title="Door-to-door visits: county lines and arson prevention",
        type=ActivityType.DOOR_TO_DOOR,
        start=_at(day, 10),
        end=_at(day, 16),
        public=True,
        organisations=taking_part[:3],
        **where,
    )
    _routes(
        doors,
        [
            "DC Sam Price and Firefighter Laura Okafor",
            "PC Ravi Patel and housing officer Jo Bailey",
            "PCSO Aisha Hughes and social worker Tom Shaw",
            "PC Dan Turner and probation officer Emma Wright",
        ],
    )
    _activity(
        operation,
        title="Drop-in centre",
        type=ActivityType.DROP_IN,
        start=_at(day, 11),
        end=_at(day, 15),
        public=True,
        organisations=taking_part,
        **where,
    )
    return operation


def _lsoa_venue(lsoa: Lsoa | None, name: str) -> dict[str, object]:
    if lsoa is None or lsoa.centre_lat is None or lsoa.centre_lng is None:
        return {"venue_name": name, "venue_address": "Crewe"}
    return _venue_near(float(lsoa.centre_lat), float(lsoa.centre_lng), name, town="Crewe")


def _people(force: Force) -> _Cast:
    police = _organisation(POLICE, OrganisationKind.POLICE_FORCE, force)
    return _Cast(
        police=police,
        council=_organisation(COUNCIL, OrganisationKind.LOCAL_AUTHORITY, force),
        fire=_organisation(FIRE, OrganisationKind.FIRE_AND_RESCUE, force),
        sergeant=_named_lead("demo-longton-sergeant", "Alex", "Morgan", police),
    )


def demo_operations_fresh(*, force_id: str, today: date | None = None) -> bool:
    """Whether the sample operations were made today (so the week is still to come)."""
    today = today or timezone.localdate()
    return Operation.objects.filter(sample=True, force_id=force_id, created_at__date=today).exists()


@transaction.atomic
def demo_operations_refresh(
    *, force_id: str, crewe_lsoas: tuple[str, ...] = (), today: date | None = None
) -> DemoOperationsSummary:
    """Replace the sample operations: Longton's week and day, the force's Neighbourhood
    Policing Week, and Crewe's day of action where its LSOAs are held."""
    today = today or timezone.localdate()
    Operation.objects.filter(sample=True).delete()
    force = Force.objects.get(pk=force_id)
    people = _people(force)
    next_monday = today + timedelta(days=(7 - today.weekday()) or 7)
    made: list[Operation] = []
    longton = (
        Neighbourhood.objects.filter(force=force, name__icontains="longton")
        .order_by("code")
        .first()
    )
    if longton is not None:
        made.append(_longton_week(longton, people, next_monday))
        made.append(_longton_day(longton, people, next_monday - timedelta(days=25)))
    if Neighbourhood.objects.filter(force=force).exists():
        made.append(_policing_week(force, people, next_monday - timedelta(days=35)))
    held = list(Lsoa.objects.filter(code__in=crewe_lsoas).values_list("code", flat=True))
    if held:
        made.append(_crewe_day(people, next_monday + timedelta(days=12), sorted(held)))
    Operation.objects.filter(pk__in=[o.pk for o in made]).update(sample=True)
    activities = Activity.objects.filter(operation__in=made).count()
    return DemoOperationsSummary(len(made), activities)
