"""Staffordshire's neighbourhood tasking team (NTT) for the demo, as issue 15's seed has it:
a sergeant and ten constables at Longton, a sergeant and six constables at Stafford, and an
inspector; each on early, late and night shifts from yesterday across the coming fortnight,
seven days a week as a team. A few neighbourhood (NPT) officers for three of the demo's
neighbourhoods, on the rota for the past eight weeks and the coming two, with abstractions in
the past weeks so that the Guarantee page's share has something to show; and a named NTT link
for every Staffordshire neighbourhood.

Everything is made through the tasking services and flagged ``sample``. Stations and officers
are kept from one refresh to the next (plans may name them); duties, abstractions and links are
remade from today. The NTT sergeant at Longton and one of its constables have accounts (no
password, like the demo's other named people: an administrator sets one in the admin to sign in
as them), so the tasking pages and "my plan" have someone to show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.demo.people import POLICE
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking import resources, rosters
from beatbook.tasking.models import (
    Abstraction,
    AbstractionReason,
    Duty,
    LinkOfficer,
    Officer,
    Rank,
    ShiftKind,
    Skill,
    Station,
    Unit,
)
from beatbook.tasking.shifts import shift_kinds_ensure

# Approximate places of the two stations (Longton police station on Sutherland Road, and
# Stafford's on Eastgate Street): close enough for travel times, not survey points.
STATIONS = (
    ("Longton Police Station", "ST3 1HH", 52.9886, -2.1338),
    ("Stafford Police Station", "ST16 2DQ", 52.8067, -2.1155),
)
SERGEANT_USERNAME = "demo-ntt-sergeant"
CONSTABLE_USERNAME = "demo-ntt-constable"
FIRST = ("Alex", "Sam", "Jo", "Chris", "Priya", "Tom", "Aisha", "Dan", "Emma", "Kofi", "Laura")
LAST = ("Bailey", "Patel", "Hughes", "Okafor", "Walker", "Khan", "Evans", "Turner", "Shaw")
# Skills spread as a team needs them: most drive, a few of each specialism.
SKILL_CYCLE = (
    ("driver", "drugs"),
    ("driver", "public-order"),
    ("anpr", "driver"),
    ("plain-clothes",),
    ("driver", "search"),
    ("public-order",),
    ("drugs", "plain-clothes"),
)
# A constable's week, repeating: two earlies, two lates, a night, two rest days. Staggered by
# officer, the team covers every shift every day; each shift starts no earlier than the last
# one ended, so no duties overlap.
PATTERN = ("early", "early", "late", "late", "night", None, None)
NPT_KEYWORDS = ("longton", "meir", "stafford")
NPT_WEEKS_BACK = 8
ROTA_DAYS = 14
ABSTRACTION_REASONS = (
    (AbstractionReason.RESPONSE_COVER, 5),
    (AbstractionReason.EVENTS, 2),
    (AbstractionReason.CUSTODY, 1),
    (AbstractionReason.TRAINING, 2),
    (AbstractionReason.SICKNESS, 1),
)


@dataclass(frozen=True)
class DemoTaskingSummary:
    officers: int
    duties: int
    abstractions: int
    links: int

    def __str__(self) -> str:
        return (
            f"The tasking team: {self.officers} officers, {self.duties} duties, "
            f"{self.abstractions} abstractions and {self.links} link officers (sample content)"
        )


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _account(username: str, first: str, last: str, *, sergeant_of: Force | None) -> User:
    """A named person without a password; a sergeant is a tasking sergeant across the force."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            username=username, password=None, first_name=first, last_name=last, is_staff=True
        )
    if sergeant_of is not None:
        police = Organisation.objects.filter(name=POLICE).first() or organisation_create(
            name=POLICE, kind=OrganisationKind.POLICE_FORCE, force=sergeant_of
        )
        if not user.memberships.filter(role=Role.TASKING_SERGEANT).exists():
            membership_grant(
                user=user, organisation=police, role=Role.TASKING_SERGEANT, force=sergeant_of
            )
    return user


def _station(force: Force, name: str, postcode: str, lat: float, lng: float) -> Station:
    found = Station.objects.filter(force=force, name=name).first()
    return found or resources.station_create(
        force=force, name=name, postcode=postcode, latitude=lat, longitude=lng, sample=True
    )


def _officer(force: Force, collar: str, details: resources.OfficerDetails) -> Officer:
    """The sample officer with this collar number, made the first time."""
    found = Officer.objects.filter(force=force, collar_number=collar).first()
    if found is not None:
        return found
    details.collar_number = collar
    return resources.officer_create(force=force, details=details, sample=True)


def _ntt(force: Force, stations: list[Station]) -> list[Officer]:
    rng = random.Random("staffordshire-ntt")  # noqa: S311 - sample names, not secrets
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    sergeant_user = _account(SERGEANT_USERNAME, "Sam", "Reid", sergeant_of=force)
    constable_user = _account(CONSTABLE_USERNAME, "Priya", "Shah", sergeant_of=None)
    team: list[Officer] = []

    def make(collar: str, name: str, rank: str, station: Station, **extra: object) -> Officer:
        chosen = [skills[s] for s in SKILL_CYCLE[len(team) % len(SKILL_CYCLE)] if s in skills]
        details = resources.OfficerDetails(
            collar_number=collar,
            name=name,
            rank=rank,
            unit=Unit.NTT,
            station=station,
            skills=chosen,
            **extra,  # type: ignore[arg-type]
        )
        officer = _officer(force, collar, details)
        team.append(officer)
        return officer

    longton, stafford = stations
    make("9000", "Helen Carter", Rank.INSPECTOR, longton)
    make("9100", "Sam Reid", Rank.SERGEANT, longton, user=sergeant_user)
    for n in range(10):
        user = constable_user if n == 0 else None
        name = "Priya Shah" if n == 0 else _name(rng)
        make(f"91{n + 1:02d}", name, Rank.CONSTABLE, longton, user=user)
    make("9200", _name(rng), Rank.SERGEANT, stafford)
    for n in range(6):
        make(f"92{n + 1:02d}", _name(rng), Rank.CONSTABLE, stafford)
    return team


def npt_neighbourhoods(force: Force) -> list[Neighbourhood]:
    chosen: list[Neighbourhood] = []
    for keyword in NPT_KEYWORDS:
        found = (
            Neighbourhood.objects.filter(force=force, name__icontains=keyword)
            .exclude(pk__in=[n.pk for n in chosen])
            .order_by("code")
            .first()
        )
        if found is not None:
            chosen.append(found)
    others = Neighbourhood.objects.filter(force=force).exclude(pk__in=[n.pk for n in chosen])
    chosen += list(others.order_by("code")[: len(NPT_KEYWORDS) - len(chosen)])
    return chosen


def _npt(force: Force, stations: list[Station]) -> list[Officer]:
    """Two constables and a PCSO for each of three neighbourhoods."""
    rng = random.Random("staffordshire-npt")  # noqa: S311 - sample names, not secrets
    officers = []
    for index, neighbourhood in enumerate(npt_neighbourhoods(force)):
        station = stations[1] if "stafford" in neighbourhood.name.lower() else stations[0]
        for n, rank in enumerate((Rank.CONSTABLE, Rank.CONSTABLE, Rank.PCSO)):
            details = resources.OfficerDetails(
                collar_number="",
                name=_name(rng),
                rank=rank,
                unit=Unit.NPT,
                station=station,
                neighbourhood=neighbourhood,
            )
            officers.append(_officer(force, f"8{index}{n:02d}", details))
    return officers


def _shift(offset: int, day: date, kinds: dict[str, ShiftKind]) -> ShiftKind | None:
    slug = PATTERN[(offset + day.toordinal()) % len(PATTERN)]
    return kinds[slug] if slug else None


def _offset(index: int, officer: Officer, today: date) -> int:
    """Where the officer is in the week's pattern: staggered by their place in the team, except
    that the constable with an account works tomorrow's late shift, so the demo's plan for it
    (``sample_tasking_work``) gives her a route on her "My shift" page. Every place in the
    pattern keeps at least two other officers, so every shift stays covered."""
    if officer.user_id is None or officer.rank != Rank.CONSTABLE:
        return index
    tomorrow = (today + timedelta(days=1)).toordinal()
    return next(o for o in range(len(PATTERN)) if PATTERN[(o + tomorrow) % len(PATTERN)] == "late")


def _rota(
    officers: list[Officer], days: list[date], kinds: dict[str, ShiftKind], today: date
) -> int:
    made = 0
    for index, officer in enumerate(officers):
        shifts: list[tuple[date, ShiftKind | None]]
        if officer.rank == Rank.INSPECTOR:
            shifts = [(day, kinds["early"]) for day in days if day.weekday() < 5]
        else:
            offset = _offset(index, officer, today)
            shifts = [(day, _shift(offset, day, kinds)) for day in days]
        for day, kind in shifts:
            if kind is None:
                continue
            try:
                rosters.duty_add(officer=officer, kind=kind, day=day, sample=True)
            except ValidationError:
                continue  # a duty staff put on the rota themselves comes first
            made += 1
    return made


def _abstractions(officers: list[Officer], today: date) -> int:
    """About one duty day in six taken, partly or wholly, in the past weeks."""
    rng = random.Random(f"abstractions/{today}")  # noqa: S311 - sample figures
    reasons = [reason for reason, weight in ABSTRACTION_REASONS for _ in range(weight)]
    made = 0
    duties = Duty.objects.filter(officer__in=officers, date__lt=today).order_by("date", "officer")
    for duty in duties:
        if rng.random() > 1 / 6:
            continue
        reason = rng.choice(reasons)
        length = Decimal((duty.ends - duty.starts).total_seconds()) / 3600
        hours = length if reason == AbstractionReason.SICKNESS else Decimal(rng.choice((2, 4, 6)))
        try:
            rosters.abstraction_record(
                officer=duty.officer,
                day=duty.date,
                reason=reason,
                hours=min(hours, length),
                sample=True,
            )
        except ValidationError:
            continue  # staff recorded that day's abstractions themselves
        made += 1
    return made


def _links(force: Force, ntt: list[Officer]) -> int:
    constables = [o for o in ntt if o.rank == Rank.CONSTABLE and o.active]
    if not constables:
        return 0
    neighbourhoods = Neighbourhood.objects.filter(force=force).order_by("name")
    taken = set(LinkOfficer.objects.filter(sample=False).values_list("neighbourhood", flat=True))
    made = 0
    for index, neighbourhood in enumerate(neighbourhoods):
        if neighbourhood.pk in taken:
            continue  # a link staff named stays
        resources.link_officer_set(
            neighbourhood=neighbourhood,
            officer=constables[index % len(constables)],
            sample=True,
        )
        made += 1
    return made


def demo_tasking_fresh(*, force_id: str, today: date | None = None) -> bool:
    """Whether the sample rota was made today (so the coming fortnight is still to come)."""
    today = today or timezone.localdate()
    return Duty.objects.filter(
        sample=True, officer__force_id=force_id, created_at__date=today
    ).exists()


@transaction.atomic
def demo_tasking_refresh(*, force_id: str, today: date | None = None) -> DemoTaskingSummary:
    """Make (or remake from today) the force's sample tasking team, rota, abstractions and
    links; nothing staff entered is touched."""
    today = today or timezone.localdate()
    force = Force.objects.get(pk=force_id)
    Abstraction.objects.filter(sample=True).delete()
    Duty.objects.filter(sample=True).delete()
    LinkOfficer.objects.filter(sample=True).delete()
    kinds = {kind.slug: kind for kind in shift_kinds_ensure(force=force)}
    stations = [_station(force, *station) for station in STATIONS]
    # Officers staff marked as left stay off the rota.
    ntt = [officer for officer in _ntt(force, stations) if officer.active]
    npt = [officer for officer in _npt(force, stations) if officer.active]
    # From yesterday: the demo's plan for yesterday's late shift needs the team on duty in it.
    coming = [today + timedelta(days=n) for n in range(-1, ROTA_DAYS)]
    first = today - timedelta(days=today.weekday(), weeks=NPT_WEEKS_BACK - 1)
    npt_days = [first + timedelta(days=n) for n in range((coming[-1] - first).days + 1)]
    duties = _rota(ntt, coming, kinds, today) + _rota(npt, npt_days, kinds, today)
    abstractions = _abstractions(npt, today)
    links = _links(force, ntt)
    return DemoTaskingSummary(len(ntt) + len(npt), duties, abstractions, links)
