"""The tasking meeting (TT&CG): who opens it and what it counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from beatbook.tasking.meeting import meeting_build, meeting_period, meeting_scope
from beatbook.tasking.models import (
    LinkOfficer,
    Officer,
    PatrolPlan,
    PlanPlace,
    PlanVisit,
    Rank,
    Station,
    Unit,
    VisitResult,
)
from beatbook.tasking.request_services import request_approve
from beatbook.tasking.shifts import shift_kinds_ensure, shift_times

from .tasking_world_requests import RequestsWorld, build_requests_world, day, make_request

pytestmark = pytest.mark.django_db
MEETING = "/staff/tasking/meeting/"


@pytest.fixture
def world(db: None) -> RequestsWorld:
    return build_requests_world()


def _visits(world: RequestsWorld) -> Officer:
    """Last week's night plan: three visits, two in Longton (one done with an arrest, one not
    done), one in Meir (done)."""
    station = Station.objects.create(
        force=world.staffordshire, name="Longton", latitude=52.99, longitude=-2.13
    )
    officer = Officer.objects.create(
        force=world.staffordshire,
        collar_number="1234",
        name="Sam Patel",
        rank=Rank.CONSTABLE,
        unit=Unit.NTT,
        station=station,
    )
    night = [k for k in shift_kinds_ensure(force=world.staffordshire) if k.slug == "night"][0]
    starts, ends = shift_times(kind=night, day=day(-3))
    plan = PatrolPlan.objects.create(
        force=world.staffordshire,
        unit=Unit.NTT,
        date=day(-3),
        shift_kind=night,
        starts=starts,
        ends=ends,
    )
    for order, (hood, done, arrests) in enumerate(
        [(world.longton, True, 1), (world.longton, False, 0), (world.meir, True, 0)]
    ):
        place = PlanPlace.objects.create(
            plan=plan,
            key=f"E39{order}000N343000",
            easting=390000 + order * 1000,
            northing=343000,
            latitude=52.99,
            longitude=-2.13,
            value=1.0,
            neighbourhood=hood,
        )
        visit = PlanVisit.objects.create(
            plan=plan,
            officer=officer,
            place=place,
            order=order,
            starts=starts + timedelta(minutes=30 * order),
            ends=starts + timedelta(minutes=30 * order + 15),
        )
        VisitResult.objects.create(
            visit=visit,
            done=done,
            not_done_reason="" if done else "called_away",
            minutes_in_place=15 if done else 0,
            arrests=arrests,
        )
    return officer


def test_who_opens_the_meeting(world: RequestsWorld) -> None:
    def status(user: object) -> int:
        c = Client()
        c.force_login(user)  # type: ignore[arg-type]
        return c.get(MEETING, {"force": "staffordshire"}).status_code

    assert status(world.sergeant) == 200
    assert status(world.inspector) == 200
    for refused in (world.npt, world.partner, world.analyst, world.cheshire_officer):
        assert status(refused) == 403
    assert status(world.cheshire_sergeant) == 400  # not one of the forces offered


def test_the_sergeant_sees_the_force_and_the_inspector_their_neighbourhoods(
    world: RequestsWorld,
) -> None:
    officer = _visits(world)
    LinkOfficer.objects.create(neighbourhood=world.longton, officer=officer)
    longton = make_request(world, title="Longton new", first_day=day(0), last_day=day(2))
    make_request(
        world,
        user=world.meir_officer,
        neighbourhood=world.meir,
        link="hotspot",
        priority=None,
        hotspot_cell=world.cell,
        title="Meir new",
    )
    request_approve(user=world.sergeant, request=longton)
    first, last = meeting_period(None, None, today=timezone.localdate())

    force = meeting_build(
        scope=meeting_scope(user=world.sergeant, force=world.staffordshire),  # type: ignore[arg-type]
        first=first,
        last=last,
    )
    inspector_scope = meeting_scope(user=world.inspector, force=world.staffordshire)
    assert inspector_scope is not None
    mine = meeting_build(scope=inspector_scope, first=first, last=last)

    assert {r.title for r in force.new_requests} == {"Longton new", "Meir new"}
    assert [r.title for r in mine.new_requests] == ["Longton new"]
    assert force.waiting == 1
    assert mine.waiting == 0
    assert [r.title for r in force.coming] == ["Longton new"]
    assert (force.visits_planned, force.visits_done, force.visits_logged) == (3, 2, 3)
    assert (mine.visits_planned, mine.visits_done) == (2, 1)
    assert dict(force.totals)["Arrests"] == 1
    assert dict(force.totals)["Minutes in place"] == 30
    assert [(h.name, link is not None) for h, link in mine.links] == [("Longton", True)]
    assert [(h.name, link is not None) for h, link in force.links] == [
        ("Longton", True),
        ("Meir", False),
    ]
    assert meeting_scope(user=world.npt, force=world.staffordshire) is None


def test_last_periods_requests_are_counted_by_outcome(world: RequestsWorld) -> None:
    met = make_request(world, first_day=day(0), last_day=day(0))
    not_yet = make_request(world, first_day=day(0), last_day=day(0))
    for item in (met, not_yet):
        request_approve(user=world.sergeant, request=item)
    met.outcome = "met"
    met.save()
    scope = meeting_scope(user=world.sergeant, force=world.staffordshire)
    assert scope is not None

    meeting = meeting_build(scope=scope, first=day(1), last=day(1))

    counts = dict(meeting.outcomes)
    assert counts["Met: the help asked for was given"] == 1
    assert counts["No outcome recorded yet"] == 1
    assert counts["Not met"] == 0


def test_the_page_says_there_is_no_crime_data_rather_than_working_it_out(
    world: RequestsWorld,
) -> None:
    c = Client()
    c.force_login(world.sergeant)

    page = c.get(MEETING, {"force": "staffordshire", "from": "2026-12-01", "to": "2026-12-07"})
    bad = c.get(MEETING, {"force": "staffordshire", "from": "2026-12-07", "to": "2026-12-01"})

    text = page.content.decode()
    assert "No crime data is loaded for Staffordshire" in text
    assert "Link officers" in text
    assert "Not named yet" in text
    assert bad.status_code == 400
    assert "last day must be the same as or after" in bad.content.decode()
