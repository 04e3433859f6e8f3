"""Sample teams, priorities and events for the demo, dated from today so they stay upcoming.

Every row made here is flagged ``sample`` and says so in its text; each refresh replaces the
previous sample rows (and touches nothing staff entered), so running it at every ``beatbook
demo`` start keeps the events in the coming fortnight. Longton gets a week of action like the
one Stoke-on-Trent ran. Priorities follow each neighbourhood's commonest crimes in the data.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from beatbook.opendata.models import Crime, SourceFile, SourceKind, SourceStatus
from beatbook.places.models import Force, Neighbourhood, Postcode
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
SAMPLE = "Sample content for the Beatbook demo: not a real officer, priority or event."
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
# In the plan of the week of action below: the event is held online, with no address.
ONLINE = "online"
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


def _team(neighbourhood: Neighbourhood, rng: random.Random) -> list[TeamMember]:
    slug = neighbourhood.code.lower().replace(".", "-")
    ranks = ("Sergeant", "PC", "PCSO")
    return [
        TeamMember(
            neighbourhood=neighbourhood,
            name=_person(rng),
            rank=rank,
            bio=f"<p>Part of the {neighbourhood.name} neighbourhood team.</p><p>{SAMPLE}</p>",
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
    return f"<p>{text} in {neighbourhood.name}.</p><p>{SAMPLE}</p>"


def _priorities(neighbourhood: Neighbourhood, categories: list[str], today: date) -> list[Priority]:
    issued = _at(today - timedelta(days=75), 9)
    rows = []
    for index, category in enumerate(categories[:2] or ["anti-social-behaviour"]):
        done = index == 0
        rows.append(
            Priority(
                neighbourhood=neighbourhood,
                issue=_issue(category, neighbourhood),
                issue_date=issued,
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


def _events(neighbourhood: Neighbourhood, rng: random.Random, today: date) -> list[Event]:
    postcode = _central_postcode(neighbourhood)
    surgery_day = today + timedelta(days=rng.randint(2, 6))
    walk_day = today + timedelta(days=rng.randint(8, 13))
    return [
        Event(
            neighbourhood=neighbourhood,
            title="Beat surgery",
            type=EventType.SURGERY,
            description=f"<p>Drop in and talk to your local officers.</p><p>{SAMPLE}</p>",
            address=_with_postcode(f"{neighbourhood.name} community centre", postcode),
            start=_at(surgery_day, 14),
            end=_at(surgery_day, 16),
            sample=True,
        ),
        Event(
            neighbourhood=neighbourhood,
            title="Community walkabout",
            type=EventType.COMMUNITY_EVENT,
            description=f"<p>Walk the area with the team.</p><p>{SAMPLE}</p>",
            address=_with_postcode(f"Meet at the main shops, {neighbourhood.name}", postcode),
            start=_at(walk_day, 11),
            end=_at(walk_day, 12, 30),
            sample=True,
        ),
    ]


def _joining_details(neighbourhood: Neighbourhood) -> str:
    slug = neighbourhood.code.lower().replace(".", "-")
    return (
        f"Join on the day at https://meet.example.police.uk/{slug} (sample link), "
        f"or email {slug}.npt@example.police.uk to be sent it"
    )


def _week_of_action(neighbourhood: Neighbourhood, today: date) -> list[Event]:
    """Longton's week of action, modelled on the one Stoke-on-Trent ran."""
    postcode = _central_postcode(neighbourhood)
    day = [today + timedelta(days=n) for n in range(1, 6)]
    plan = (
        (
            "Mobile police station",
            EventType.MOBILE_POLICE_STATION,
            "Retail park car park, Longton",
            day[0],
            10,
            15,
        ),
        (
            "Evening online surgery",
            EventType.ONLINE_SURGERY,
            ONLINE,
            day[1],
            19,
            20,
        ),
        (
            "Meet the commander",
            EventType.MEET_THE_COMMANDER,
            "Longton Market Hall, Times Square",
            day[2],
            11,
            13,
        ),
        (
            "Litter pick with volunteers",
            EventType.LITTER_PICK,
            "Meet outside Longton Exchange",
            day[3],
            10,
            12,
        ),
        (
            "Vehicle and car seat checks",
            EventType.CRIME_PREVENTION,
            "Car park off the Strand, Longton",
            day[4],
            9,
            14,
        ),
    )
    return [
        Event(
            neighbourhood=neighbourhood,
            title=f"Week of action: {title}",
            type=kind,
            description=f"<p>Part of the Longton week of action.</p><p>{SAMPLE}</p>",
            address="" if address == ONLINE else _with_postcode(address, postcode),
            online=address == ONLINE,
            joining_details=_joining_details(neighbourhood) if address == ONLINE else "",
            start=_at(when, start),
            end=_at(when, end),
            contact_details={"telephone": "101"},
            sample=True,
        )
        for title, kind, address, when, start, end in plan
    ]


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
            SeniorOfficer(
                force=force, name=name, rank=rank, bio=f"<p>{SAMPLE}</p>", order=order, sample=True
            )
            for order, (name, rank) in enumerate(
                [("Morgan Reid", "Chief Constable"), ("Harriet Cole", "Deputy Chief Constable")],
                start=1,
            )
        ]
    )
    if not EngagementMethod.objects.filter(force=force).exists():
        EngagementMethod.objects.create(
            force=force,
            type="web",
            title="Website",
            url=force.url or "https://www.police.uk/",
            description=f"Sample link. {SAMPLE}",
            sample=True,
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
    for neighbourhood in neighbourhoods:
        rng = random.Random(f"{force_id}/{neighbourhood.code}")  # noqa: S311 - sample names
        members += _team(neighbourhood, rng)
        priorities += _priorities(neighbourhood, categories.get(neighbourhood.pk, []), today)
        events += _events(neighbourhood, rng, today)
        if "longton" in neighbourhood.name.lower():
            events += _week_of_action(neighbourhood, today)
        if neighbourhood.pk not in taken:
            contacts.append(
                NeighbourhoodContact(
                    neighbourhood=neighbourhood, contact_details={"telephone": "101"}, sample=True
                )
            )
    TeamMember.objects.bulk_create(members)
    Priority.objects.bulk_create(priorities)
    Event.objects.bulk_create(events)
    NeighbourhoodContact.objects.bulk_create(contacts)
    return DemoTeamsSummary(len(neighbourhoods), len(members), len(priorities), len(events))
