"""Tasking requests' services: what they accept, what they refuse (and that a refusal changes
nothing), and who may decide."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from beatbook.operations.models import Operation, OperationKind
from beatbook.tasking.models import ProblemLink, RequestStatus, Tactic, TaskingRequest
from beatbook.tasking.request_services import (
    reference_problem,
    request_approve,
    request_decline,
    request_share,
    request_update,
    request_withdraw,
)

from .tasking_world_requests import (
    LONGTON_CENTRE,
    RequestsWorld,
    build_requests_world,
    day,
    details,
    make_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> RequestsWorld:
    return build_requests_world()


def refused(world: RequestsWorld, **changes: Any) -> dict[str, list[str]]:
    """The errors by field of a request made with ``changes``; and nothing was made."""
    with pytest.raises(ValidationError) as caught:
        make_request(world, **changes)
    assert TaskingRequest.objects.count() == 0
    return caught.value.message_dict


def test_a_good_request_is_made_waiting_for_a_decision(world: RequestsWorld) -> None:
    made = make_request(world)

    assert made.status == RequestStatus.SUBMITTED
    assert made.force == world.staffordshire
    assert made.cells == [world.cell]
    assert made.priority == world.priority
    assert made.requested_by == world.npt


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": " "}, "title", "Enter a short title"),
        ({"evidence": ""}, "evidence", "Enter the evidence"),
        ({"first_day": day(-1)}, "first_day", "today or later"),
        ({"last_day": day(0)}, "last_day", "same as or after"),
        ({"hours_to": time(22)}, "hours_to", "same time"),
        ({"cells": []}, "cells", "at least one cell"),
        ({"cells": ["E398001N345250"]}, "cells", "not the corner"),
        ({"cells": ["Belgrave Road"]}, "cells", "is not a cell"),
        ({"cells": ["E530000N180000"]}, "cells", "outside Staffordshire"),  # London
        ({"officers_wanted": 0}, "officers_wanted", "from 1 to 10"),
        ({"officers_wanted": 11}, "officers_wanted", "from 1 to 10"),
        ({"minutes_wanted": 481}, "minutes_wanted", "at most 480"),  # 4 h × 2 officers
        ({"minutes_wanted": 0}, "minutes_wanted", "at least 1 minute"),
        ({"tactic": "dogs"}, "tactic", "Select the tactic"),
        ({"link": "rumour"}, "link", "Select what"),
        ({"priority": None}, "priority", "Select the neighbourhood priority"),
        ({"link": ProblemLink.HOTSPOT}, "hotspot_cell", "Enter the hotspot"),
        ({"link": ProblemLink.HOTSPOT, "hotspot_cell": "hot"}, "hotspot_cell", "not a cell"),
        ({"link": ProblemLink.OPERATION}, "operation", "Select the operation"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_made(
    world: RequestsWorld, changes: dict[str, Any], field: str, words: str
) -> None:
    errors = refused(world, **changes)

    assert words in " ".join(errors[field])


def test_a_priority_of_another_neighbourhood_is_refused(world: RequestsWorld) -> None:
    from django.utils import timezone

    from beatbook.teams import services as teams

    meir_priority = teams.priority_create(
        neighbourhood=world.meir, issue="Speeding", issue_date=timezone.now()
    )

    assert "Longton's priorities" in refused(world, priority=meir_priority)["priority"][0]


def test_an_operation_must_be_of_the_force_and_one_the_user_is_part_of(
    world: RequestsWorld,
) -> None:
    kind = OperationKind.objects.first()
    theirs = Operation.objects.create(
        name="Cheshire's week",
        kind=kind,
        force=world.cheshire,
        lead=world.cheshire_officer,
        lead_organisation=world.council,
        first_day=day(0),
        last_day=day(3),
    )
    ours = Operation.objects.create(
        name="Longton week",
        kind=kind,
        force=world.staffordshire,
        lead=world.npt,
        lead_organisation=world.police,
        first_day=day(0),
        last_day=day(3),
    )

    errors = refused(world, link=ProblemLink.OPERATION, operation=theirs, priority=None)
    made = make_request(world, link=ProblemLink.OPERATION, operation=ours)

    assert "of this force" in errors["operation"][0]
    assert made.operation == ours
    assert made.priority is None  # only the thing linked is kept


@pytest.mark.parametrize(
    "text",
    [
        "Mrs Jane Smith",
        "12 Belgrave Road",
        "jane@example.org",
        "07700 900123",
        "07700900123",
        "+447700900123",
        "ST3 1AA",
        "ABCDEF",
    ],
)
def test_a_repeat_victim_is_only_ever_a_reference(world: RequestsWorld, text: str) -> None:
    errors = refused(world, link=ProblemLink.REPEAT_VICTIM, repeat_victim_reference=text)

    assert "crime or occurrence reference" in errors["repeat_victim_reference"][0]


@pytest.mark.parametrize("text", ["CRI/12345/26", "20-000123-26", "OCC1234567"])
def test_crime_and_occurrence_references_are_accepted(text: str) -> None:
    assert reference_problem(text) == ""


def test_a_drawn_area_adds_its_cells_and_is_kept(world: RequestsWorld) -> None:
    lat, lng = LONGTON_CENTRE
    d = 0.004
    ring = [[lng - d, lat - d], [lng + d, lat - d], [lng + d, lat + d], [lng - d, lat + d]]
    polygon = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}

    made = make_request(world, cells=[], polygon=polygon)

    assert len(made.cells) >= 2
    assert world.cell in made.cells
    assert made.polygon == polygon


def test_tactics_ask_for_their_skills(world: RequestsWorld) -> None:
    anpr = make_request(world, tactic=Tactic.ANPR)
    plain = make_request(world, tactic=Tactic.PLAIN_CLOTHES)

    assert [s.slug for s in anpr.skills.all()] == ["anpr"]
    assert [s.slug for s in plain.skills.all()] == ["plain-clothes"]


def test_only_the_neighbourhoods_team_asks(world: RequestsWorld) -> None:
    for outsider in (world.meir_officer, world.partner, world.analyst, world.cheshire_officer):
        with pytest.raises(PermissionDenied):
            make_request(world, user=outsider)
    assert TaskingRequest.objects.count() == 0


def test_only_a_tasking_sergeant_of_the_force_decides_and_only_once(world: RequestsWorld) -> None:
    made = make_request(world)
    for not_sergeant in (world.npt, world.inspector, world.cheshire_sergeant, world.partner):
        with pytest.raises(PermissionDenied):
            request_approve(user=not_sergeant, request=made)

    approved = request_approve(user=world.sergeant, request=made, reason="Fits next week")
    with pytest.raises(ValidationError, match="cannot be decided again"):
        request_decline(user=world.sergeant, request=made, reason="Changed my mind")

    made.refresh_from_db()
    assert approved.status == made.status == RequestStatus.APPROVED
    assert made.decided_by == world.sergeant
    assert made.decided_at is not None
    assert made.decision_reason == "Fits next week"


def test_declining_needs_a_reason(world: RequestsWorld) -> None:
    made = make_request(world)

    with pytest.raises(ValidationError) as caught:
        request_decline(user=world.sergeant, request=made, reason="  ")
    declined = request_decline(user=world.sergeant, request=made, reason="No officers that week")

    assert "reason" in caught.value.message_dict
    assert declined.status == RequestStatus.DECLINED


def test_the_team_changes_a_request_only_while_it_waits(world: RequestsWorld) -> None:
    made = make_request(world)
    with pytest.raises(PermissionDenied):
        request_update(user=world.meir_officer, request=made, details=details(world, title="X"))

    request_update(user=world.npt, request=made, details=details(world, officers_wanted=3))
    made.refresh_from_db()
    assert made.officers_wanted == 3

    with pytest.raises(ValidationError):
        request_update(user=world.npt, request=made, details=details(world, officers_wanted=20))
    made.refresh_from_db()
    assert made.officers_wanted == 3  # bad input changed nothing

    request_approve(user=world.sergeant, request=made)
    with pytest.raises(ValidationError, match="no longer be changed"):
        request_update(user=world.npt, request=made, details=details(world, officers_wanted=1))


def test_withdrawn_by_the_team_and_not_twice(world: RequestsWorld) -> None:
    made = make_request(world)
    with pytest.raises(PermissionDenied):
        request_withdraw(user=world.meir_officer, request=made)

    request_withdraw(user=world.npt, request=made)
    with pytest.raises(ValidationError, match="nothing to withdraw"):
        request_withdraw(user=world.npt, request=made)
    with pytest.raises(ValidationError):
        request_approve(user=world.sergeant, request=made)
    made.refresh_from_db()
    assert made.status == RequestStatus.WITHDRAWN


def test_shared_only_with_partners_of_the_force(world: RequestsWorld) -> None:
    made = make_request(world)
    from beatbook.accounts.models import Organisation

    cheshire = Organisation.objects.get(name="Cheshire Constabulary")
    with pytest.raises(ValidationError):
        request_share(request=made, organisations=[world.council, cheshire])
    assert made.shared_with.count() == 0

    request_share(request=made, organisations=[world.council])
    assert list(made.shared_with.all()) == [world.council]
    request_share(request=made, organisations=[])
    assert made.shared_with.count() == 0


def test_days_may_not_move_into_the_past_but_may_stay(world: RequestsWorld) -> None:
    made = make_request(world, first_day=day(0), last_day=day(2))
    with pytest.raises(ValidationError):
        request_update(
            user=world.npt, request=made, details=details(world, first_day=day(-1), last_day=day(2))
        )
    assert made.first_day == day(0)
    request_update(
        user=world.npt, request=made, details=details(world, first_day=day(0), last_day=day(4))
    )
    made.refresh_from_db()
    assert made.last_day == day(0) + timedelta(days=4)
