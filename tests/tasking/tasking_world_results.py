"""The world of the results tests: Staffordshire's tasking team on one past early shift, with
plans made directly as rows (the planner's code is another part of the work).

People: the tasking sergeant (force-wide), two tasking-team constables who sign in (Amir and
Beth, each on the plan), Longton's neighbourhood officer, a council partner, and Cheshire's
officer as the stranger. The plan has three places in Longton and one in Meir; Amir visits two
places, Beth two, and Beth has one more visit next week (in the future).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking.models import (
    Officer,
    PatrolPlan,
    PlanPlace,
    PlanVisit,
    Rank,
    RequestStatus,
    Station,
    Tactic,
    TaskingRequest,
    Unit,
)
from beatbook.tasking.patrol_cells import cell_parse
from beatbook.tasking.shifts import LONDON, shift_kinds_ensure, shift_times

PASSWORD = "correct horse battery staple"
PLACES = ("E391000N343000", "E391250N343000", "E391500N343000", "E393000N344000")


@dataclass
class ResultsWorld:
    staffordshire: Force
    longton: Neighbourhood
    meir: Neighbourhood
    police: Organisation
    sergeant: User
    amir: User
    beth: User
    npt_officer: User
    partner: User
    stranger: User
    amir_officer: Officer
    beth_officer: Officer
    plan: PatrolPlan
    places: dict[str, PlanPlace] = field(default_factory=dict)
    visits: list[PlanVisit] = field(default_factory=list)
    future_visit: PlanVisit | None = None
    approved: TaskingRequest | None = None
    submitted: TaskingRequest | None = None


def _user(username: str) -> User:
    return user_create(username=username, password=PASSWORD, is_staff=True)


def _request(
    force: Force, neighbourhood: Neighbourhood, by: User, status: str, day: date, title: str
) -> TaskingRequest:
    decided = {"decided_by": by, "decided_at": timezone.now()} if status != "submitted" else {}
    return TaskingRequest.objects.create(
        force=force,
        neighbourhood=neighbourhood,
        requested_by=by,
        title=title,
        problem="Cars broken into at night.",
        link="hotspot",
        cells=[PLACES[0]],
        first_day=day - timedelta(days=3),
        last_day=day + timedelta(days=3),
        hours_from=datetime.min.time().replace(hour=7),
        hours_to=datetime.min.time().replace(hour=15),
        tactic=Tactic.HIGH_VISIBILITY,
        officers_wanted=1,
        minutes_wanted=30,
        evidence="Twelve thefts from vehicles in a month.",
        status=status,
        **decided,
    )


def build_results_world(*, day: date | None = None) -> ResultsWorld:
    staffs = Force.objects.get(pk="staffordshire")
    cheshire = Force.objects.get(pk="cheshire")
    longton = Neighbourhood.objects.create(force=staffs, code="longton-r", name="Longton")
    meir = Neighbourhood.objects.create(force=staffs, code="meir-r", name="Meir")
    Neighbourhood.objects.create(force=cheshire, code="crewe-r", name="Crewe")
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=staffs
    )
    council = organisation_create(
        name="Stoke-on-Trent City Council", kind=OrganisationKind.LOCAL_AUTHORITY, force=staffs
    )
    constabulary = organisation_create(
        name="Cheshire Constabulary", kind=OrganisationKind.POLICE_FORCE, force=cheshire
    )
    sergeant, amir, beth = _user("sergeant"), _user("amir"), _user("beth")
    npt_officer, partner, stranger = _user("olu"), _user("pat"), _user("carol")
    membership_grant(user=sergeant, organisation=police, role=Role.TASKING_SERGEANT)
    membership_grant(
        user=npt_officer,
        organisation=police,
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[longton],
    )
    membership_grant(user=partner, organisation=council, role=Role.PARTNER)
    membership_grant(user=stranger, organisation=constabulary, role=Role.NEIGHBOURHOOD_OFFICER)
    station = Station.objects.create(force=staffs, name="Longton", latitude=52.99, longitude=-2.13)
    amir_officer = Officer.objects.create(
        force=staffs,
        collar_number="4101",
        name="Amir Khan",
        rank=Rank.CONSTABLE,
        unit=Unit.NTT,
        station=station,
        user=amir,
    )
    beth_officer = Officer.objects.create(
        force=staffs,
        collar_number="4102",
        name="Beth Jones",
        rank=Rank.CONSTABLE,
        unit=Unit.NTT,
        station=station,
        user=beth,
    )
    early = next(k for k in shift_kinds_ensure(force=staffs) if k.slug == "early")
    day = day or (timezone.localdate() - timedelta(days=7))
    starts, ends = shift_times(kind=early, day=day)
    plan = PatrolPlan.objects.create(
        force=staffs,
        unit=Unit.NTT,
        date=day,
        shift_kind=early,
        starts=starts,
        ends=ends,
        status="issued",
        made_by=sergeant,
    )
    world = ResultsWorld(
        staffordshire=staffs,
        longton=longton,
        meir=meir,
        police=police,
        sergeant=sergeant,
        amir=amir,
        beth=beth,
        npt_officer=npt_officer,
        partner=partner,
        stranger=stranger,
        amir_officer=amir_officer,
        beth_officer=beth_officer,
        plan=plan,
    )
    world.approved = _request(
        staffs, longton, npt_officer, RequestStatus.APPROVED, day, "Car crime on Uttoxeter Road"
    )
    world.submitted = _request(
        staffs, longton, npt_officer, RequestStatus.SUBMITTED, day, "Bikes on the park"
    )
    for number, key in enumerate(PLACES):
        cell = cell_parse(key)
        lat, lng = cell.centre()
        world.places[key] = PlanPlace.objects.create(
            plan=plan,
            key=key,
            easting=cell.easting,
            northing=cell.northing,
            latitude=lat,
            longitude=lng,
            value=10.0 - number,
            request=world.approved if number == 0 else None,
            neighbourhood=meir if number == 3 else longton,
        )
    # Amir: places 0 and 1; Beth: places 2 and 3. Each visit is 15 minutes, an hour apart.
    for order, (officer, key) in enumerate(
        [
            (amir_officer, PLACES[0]),
            (amir_officer, PLACES[1]),
            (beth_officer, PLACES[2]),
            (beth_officer, PLACES[3]),
        ]
    ):
        at = starts + timedelta(hours=1 + order)
        world.visits.append(
            PlanVisit.objects.create(
                plan=plan,
                officer=officer,
                place=world.places[key],
                order=order,
                starts=at,
                ends=at + timedelta(minutes=15),
            )
        )
    next_week = timezone.now().astimezone(LONDON) + timedelta(days=7)
    world.future_visit = PlanVisit.objects.create(
        plan=plan,
        officer=beth_officer,
        place=world.places[PLACES[2]],
        order=10,
        starts=next_week,
        ends=next_week + timedelta(minutes=15),
    )
    return world
