"""Sample teams, priorities and events for the demo, dated from today so they stay upcoming.

Every row made here is flagged ``sample``: each page that shows one says, once, that it is
sample content (``sample_notice`` in ``beatbook_ui``); the texts themselves read as a real
team's would. Each refresh replaces the previous sample rows (and touches nothing staff
entered), so running it at every ``beatbook demo`` start keeps the events in the coming
fortnight. Events go to real public places of each neighbourhood (``beatbook.demo.venues``),
except Longton's supermarket and market, where its community action week is held (an operation:
``beatbook.demo.sample_operations``). Priorities follow each neighbourhood's commonest crimes.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from beatbook.demo.venues import Venue, venues_by_neighbourhood
from beatbook.opendata.models import Crime
from beatbook.places.models import Force, Neighbourhood, Postcode
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.teams.models import (
    EngagementMethod,
    Event,
    EventType,
    NeighbourhoodContact,
    NeighbourhoodLocation,
    Priority,
    SeniorOfficer,
    TeamMember,
)

LONDON = ZoneInfo("Europe/London")
_FIRST = (
    "Alex",
    "Sam",
    "Jo",
    "Chris",
    "Priya",
    "Tom",
    "Aisha",
    "Dan",
    "Emma",
    "Kofi",
    "Laura",
    "Ravi",
)
_LAST = (
    "Bailey",
    "Patel",
    "Hughes",
    "Okafor",
    "Walker",
    "Khan",
    "Turner",
    "Wright",
    "Shaw",
    "Lowe",
)
_ISSUES = {
    "anti-social-behaviour": "Anti-social behaviour around shops and open spaces",
    "violent-crime": "Violence and intimidation in the evening economy",
    "shoplifting": "Repeat shoplifting from local stores",
    "vehicle-crime": "Thefts of and from vehicles parked overnight",
    "burglary": "Burglaries of homes and sheds",
    "criminal-damage-arson": "Criminal damage and deliberate fires",
    "drugs": "Drug dealing and drug use in public places",
    "public-order": "Public order offences and street disorder",
    "other-theft": "Thefts from people and premises",
    "bicycle-theft": "Bicycle thefts",
    "robbery": "Street robbery",
    "theft-from-the-person": "Pickpocketing and bag thefts",
    "possession-of-weapons": "People carrying knives and other weapons",
    "other-crime": "Fraud and other crime reported by residents",
}
# A category as a sentence names it ("follows up reports of shoplifting").
_FOCUS = {
    "anti-social-behaviour": "anti-social behaviour",
    "violent-crime": "violence",
    "shoplifting": "shoplifting",
    "vehicle-crime": "vehicle crime",
    "burglary": "burglary",
    "criminal-damage-arson": "criminal damage",
    "drugs": "drug dealing",
    "public-order": "disorder",
    "other-theft": "theft",
    "bicycle-theft": "bicycle theft",
    "robbery": "robbery",
    "theft-from-the-person": "pickpocketing",
    "possession-of-weapons": "knife crime",
    "other-crime": "fraud",
}
_ACTION = (
    "<p>Extra patrols at the times and places of most reports, visits to the businesses and "
    "residents affected, and joint work with the council's community safety team.</p>"
)


@dataclass(frozen=True)
class DemoTeamsSummary:
    neighbourhoods: int
    team_members: int
    priorities: int
    events: int

    def __str__(self) -> str:
        return (
            f"{self.neighbourhoods} neighbourhood teams: {self.team_members} officers, "
            f"{self.priorities} priorities, {self.events} upcoming events (sample content)"
        )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _bio(rank: str, neighbourhood: Neighbourhood, focus: str, rng: random.Random) -> str:
    """What a resident would want to know about each member of the team."""
    name = neighbourhood.name
    if rank == "Sergeant":
        years = rng.randint(8, 22)
        return (
            f"<p>Leads the {name} team and agrees its priorities with residents, the council "
            f"and local businesses. {years} years a police officer, most of them in "
            "neighbourhood policing.</p>"
        )
    if rank == "PC":
        return (
            f"<p>The team's constable: follows up reports of {focus} in {name}, and visits "
            "the schools and shops that ask for help.</p>"
        )
    return (
        f"<p>Out on foot around {name} most days, and at every beat surgery. Stop and say "
        "hello, or tell us what worries you.</p>"
    )


def _team(
    neighbourhood: Neighbourhood, rng: random.Random, categories: list[str]
) -> list[TeamMember]:
    slug = neighbourhood.code.lower().replace(".", "-")
    ranks = ("Sergeant", "PC", "PCSO")
    focus = _FOCUS.get(categories[0] if categories else "", "anti-social behaviour")
    return [
        TeamMember(
            neighbourhood=neighbourhood,
            name=_person(rng),
            rank=rank,
            bio=_bio(rank, neighbourhood, focus, rng),
            contact_details={"email": f"{slug}.npt@example.police.uk"}
            if rank == "Sergeant"
            else {},
            order=order,
            sample=True,
        )
        for order, rank in enumerate(ranks, start=1)
    ]


def _issue(category: str, neighbourhood: Neighbourhood) -> str:
    text = _ISSUES.get(category, _ISSUES["other-crime"])
    return f"<p>{text} in {neighbourhood.name}.</p>"


def _priorities(neighbourhood: Neighbourhood, categories: list[str], today: date) -> list[Priority]:
    rows = []
    for index, category in enumerate(categories[:2] or ["anti-social-behaviour"]):
        done = index == 0
        rows.append(
            Priority(
                neighbourhood=neighbourhood,
                issue=_issue(category, neighbourhood),
                # Raised at two meetings: the older one acted on, the newer one in hand.
                issue_date=_at(today - timedelta(days=75 if done else 40), 19),
                action=_ACTION if done else "",
                action_date=_at(today - timedelta(days=10), 17) if done else None,
                sample=True,
            )
        )
    return rows


def _central_postcode(neighbourhood: Neighbourhood) -> str:
    """The postcode nearest the point inside the neighbourhood its boundary keeps, so that
    sample events carry a real postcode in the neighbourhood (as ``teams.venue`` asks of every
    event held in person) and show on the neighbourhood page's map; "" if none."""
    box = (
        neighbourhood.min_lat,
        neighbourhood.max_lat,
        neighbourhood.min_lng,
        neighbourhood.max_lng,
        neighbourhood.centre_lat,
        neighbourhood.centre_lng,
    )
    if None in box:
        return ""
    min_lat, max_lat, min_lng, max_lng, *inside = (float(edge or 0) for edge in box)
    # The middle of the box can lie outside a crescent-shaped neighbourhood; this point cannot.
    middle = (inside[0], inside[1])
    candidates = [
        (str(code), float(lat), float(lng))
        for code, lat, lng in Postcode.objects.filter(
            latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng)
        ).values_list("postcode", "latitude", "longitude")
        if lat is not None and lng is not None
    ]
    nearest = min(
        candidates,
        key=lambda row: (row[1] - middle[0]) ** 2 + (row[2] - middle[1]) ** 2,
        default=None,
    )
    return "" if nearest is None else str(nearest[0])


def _with_postcode(address: str, postcode: str) -> str:
    return f"{address}, {postcode}" if postcode else address


def _fallback_venue(neighbourhood: Neighbourhood, name: str) -> Venue:
    """Where the data names no public place: the postcode at the heart of the neighbourhood."""
    postcode = _central_postcode(neighbourhood)
    return Venue(name, neighbourhood.name, 0.0, 0.0, postcode)


def _events(
    neighbourhood: Neighbourhood, rng: random.Random, today: date, venues: list[Venue]
) -> list[Event]:
    surgery_at = venues[0] if venues else _fallback_venue(neighbourhood, "Shops")
    walk_from = venues[1] if len(venues) > 1 else surgery_at
    surgery_day = today + timedelta(days=rng.randint(2, 6))
    walk_day = today + timedelta(days=rng.randint(8, 13))
    return [
        Event(
            neighbourhood=neighbourhood,
            title="Beat surgery",
            type=EventType.SURGERY,
            description=(
                "<p>Drop in to talk to your local officers about anything that worries you. "
                "No appointment needed.</p>"
            ),
            address=surgery_at.address,
            start=_at(surgery_day, 14),
            end=_at(surgery_day, 16),
            sample=True,
        ),
        Event(
            neighbourhood=neighbourhood,
            title="Community walkabout",
            type=EventType.COMMUNITY_EVENT,
            description=(
                "<p>Walk the area with the team and show them the places that worry you: "
                "dark paths, broken lights, where people gather at night.</p>"
            ),
            address=_with_postcode(
                f"Meet at {walk_from.street or neighbourhood.name}", walk_from.postcode
            ),
            start=_at(walk_day, 11),
            end=_at(walk_day, 12, 30),
            sample=True,
        ),
    ]


# The public places police.uk publishes in Longton where its community action week is held
# (``demo.sample_operations``): the usual events go elsewhere.
LONGTON_WEEK_KINDS = ("Supermarket car park", "Shopping area")


def _top_categories(force_id: str) -> dict[int, list[str]]:
    """Each neighbourhood's commonest crime categories over the latest three months held."""
    loaded = SourceFile.objects.filter(
        kind=SourceKind.STREET, status=SourceStatus.LOADED, force_id=force_id
    )
    months = sorted(set(loaded.values_list("month", flat=True)))[-3:]
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        Crime.objects.filter(force_id=force_id, month__in=months, neighbourhood__isnull=False)
        .values_list("neighbourhood_id", "category")
        .annotate(n=Count("id"))
    )
    for neighbourhood_id, category, n in rows:
        counts[neighbourhood_id][category] += n
    return {key: [c for c, _ in counter.most_common()] for key, counter in counts.items()}


def _delete_samples(force: Force) -> None:
    for model in (TeamMember, Priority, Event, NeighbourhoodContact, NeighbourhoodLocation):
        model.objects.filter(neighbourhood__force=force, sample=True).delete()
    SeniorOfficer.objects.filter(force=force, sample=True).delete()
    EngagementMethod.objects.filter(force=force, sample=True).delete()


def _force_content(force: Force) -> None:
    SeniorOfficer.objects.bulk_create(
        [
            SeniorOfficer(force=force, name=name, rank=rank, bio=bio, order=order, sample=True)
            for order, (name, rank, bio) in enumerate(_SENIOR_OFFICERS, start=1)
        ]
    )
    if not EngagementMethod.objects.filter(force=force).exists():
        EngagementMethod.objects.create(
            force=force,
            type="web",
            title="Website",
            url=force.url or "https://www.police.uk/",
            description="News, appeals and every way to contact the force.",
            sample=True,
        )


_SENIOR_OFFICERS = (
    (
        "Morgan Reid",
        "Chief Constable",
        "<p>Responsible for policing across the force area, and answerable to the Police, "
        "Fire and Crime Commissioner.</p>",
    ),
    (
        "Harriet Cole",
        "Deputy Chief Constable",
        "<p>Leads the force's work on standards, and its neighbourhood policing.</p>",
    ),
)


def demo_teams_fresh(*, force_id: str, today: date | None = None) -> bool:
    """Whether the force's sample content was made today (so its events are still upcoming)."""
    today = today or timezone.localdate()
    made_today = Event.objects.filter(
        sample=True, neighbourhood__force_id=force_id, created_at__date=today
    )
    return made_today.exists()


@transaction.atomic
def demo_teams_refresh(*, force_id: str, today: date | None = None) -> DemoTeamsSummary:
    """Replace the sample teams, priorities and events of every neighbourhood of a force."""
    today = today or timezone.localdate()
    force = Force.objects.get(pk=force_id)
    _delete_samples(force)
    _force_content(force)
    categories = _top_categories(force_id)
    members: list[TeamMember] = []
    priorities: list[Priority] = []
    events: list[Event] = []
    contacts: list[NeighbourhoodContact] = []
    neighbourhoods = list(Neighbourhood.objects.filter(force=force).order_by("code"))
    taken = set(
        NeighbourhoodContact.objects.filter(neighbourhood__force=force).values_list(
            "neighbourhood_id", flat=True
        )
    )
    venues = venues_by_neighbourhood(neighbourhoods)
    for neighbourhood in neighbourhoods:
        rng = random.Random(f"{force_id}/{neighbourhood.code}")  # noqa: S311 - sample names
        top = categories.get(neighbourhood.pk, [])
        places = venues.get(neighbourhood.pk, [])
        members += _team(neighbourhood, rng, top)
        priorities += _priorities(neighbourhood, top, today)
        if "longton" in neighbourhood.name.lower():
            places = [venue for venue in places if venue.name not in LONGTON_WEEK_KINDS]
        events += _events(neighbourhood, rng, today, places)
        if neighbourhood.pk not in taken:
            contacts.append(
                NeighbourhoodContact(
                    neighbourhood=neighbourhood, contact_details={"telephone": "101"}, sample=True
                )
            )
    TeamMember.objects.bulk_create(members)
    Priority.objects.bulk_create(priorities)
    # Last updated when last acted on (or raised): what the page and the Guarantee both show.
    made = Priority.objects.filter(neighbourhood__force=force, sample=True)
    made.filter(action_date__isnull=False).update(updated_at=F("action_date"))
    made.filter(action_date__isnull=True).update(updated_at=F("issue_date"))
    Event.objects.bulk_create(events)
    NeighbourhoodContact.objects.bulk_create(contacts)
    return DemoTeamsSummary(len(neighbourhoods), len(members), len(priorities), len(events))
