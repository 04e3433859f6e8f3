"""The tasking request pages: who sees which request, who may do what, and the form's paths
(the map's cells box, a postcode and a distance, errors on their fields)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from beatbook.accounts.models import User
from beatbook.tasking.models import RequestStatus, TaskingRequest
from beatbook.tasking.request_services import request_share

from .tasking_world_requests import POSTCODE, RequestsWorld, build_requests_world, day, make_request

pytestmark = pytest.mark.django_db
LIST = "/staff/tasking/requests/"


@pytest.fixture
def world(db: None) -> RequestsWorld:
    return build_requests_world()


def client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def form_data(world: RequestsWorld, **changes: Any) -> dict[str, Any]:
    first, last = day(1), day(3)
    data = {
        "neighbourhood": world.longton.pk,
        "title": "Drug dealing by the park",
        "problem": "Dealing every evening by the play area.",
        "link": "repeat_victim",
        "repeat_victim_reference": "CRI/555/26",
        "cells": world.cell,
        "first_day_day": first.day,
        "first_day_month": first.month,
        "first_day_year": first.year,
        "last_day_day": last.day,
        "last_day_month": last.month,
        "last_day_year": last.year,
        "hours_from": "18:00",
        "hours_to": "22:00",
        "tactic": "plain_clothes",
        "officers_wanted": "2",
        "minutes_wanted": "90",
        "urgency": "medium",
        "evidence": "Intelligence logs and residents' reports.",
    }
    data.update(changes)
    return data


def test_who_sees_which_request(world: RequestsWorld) -> None:
    longton = make_request(world, title="Longton request")
    meir = make_request(
        world,
        user=world.meir_officer,
        neighbourhood=world.meir,
        priority=None,
        link="hotspot",
        hotspot_cell=world.cell,
        title="Meir request",
    )
    detail = f"{LIST}{longton.pk}/"

    def listed(user: User) -> set[str]:
        text = client(user).get(LIST).content.decode()
        return {t for t in ("Longton request", "Meir request") if t in text}

    assert listed(world.npt) == {"Longton request"}
    assert listed(world.meir_officer) == {"Meir request"}
    assert listed(world.sergeant) == {"Longton request", "Meir request"}
    assert listed(world.partner) == set()
    assert listed(world.cheshire_sergeant) == set()
    assert client(world.npt).get(detail).status_code == 200
    assert client(world.sergeant).get(detail).status_code == 200
    for outsider in (world.meir_officer, world.partner, world.analyst, world.cheshire_sergeant):
        assert client(outsider).get(detail).status_code == 404
    assert client(world.npt).get(f"{LIST}{meir.pk}/").status_code == 404

    request_share(request=longton, organisations=[world.council])
    assert client(world.partner).get(detail).status_code == 200
    assert listed(world.partner) == {"Longton request"}


def test_the_queue_filters_by_status_urgency_and_neighbourhood(world: RequestsWorld) -> None:
    make_request(world, title="High one", urgency="high")
    make_request(world, title="Low one", urgency="low")
    sergeant = client(world.sergeant)

    everything = sergeant.get(LIST).content.decode()
    high = sergeant.get(LIST, {"urgency": "high"}).content.decode()
    approved = sergeant.get(LIST, {"status": "approved"}).content.decode()

    assert everything.index("High one") < everything.index("Low one")  # most urgent first
    assert "High one" in high
    assert "Low one" not in high
    assert "High one" not in approved


def test_an_npt_officer_asks_with_the_cells_box(world: RequestsWorld) -> None:
    response = client(world.npt).post(f"{LIST}new/", form_data(world))

    made = TaskingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}{made.pk}/"
    assert made.cells == [world.cell]
    assert made.repeat_victim_reference == "CRI/555/26"
    assert [s.slug for s in made.skills.all()] == ["plain-clothes"]
    page = client(world.npt).get(response["Location"]).content.decode()
    assert "Drug dealing by the park" in page
    assert "6pm to 10pm" in page


def test_a_postcode_and_a_distance_give_the_cells(world: RequestsWorld) -> None:
    client(world.npt).post(
        f"{LIST}new/", form_data(world, cells="", postcode=POSTCODE.lower(), radius="300")
    )

    made = TaskingRequest.objects.get()
    assert world.cell in made.cells
    assert len(made.cells) > 1


def test_bad_input_is_shown_on_its_field_and_nothing_is_made(world: RequestsWorld) -> None:
    response = client(world.npt).post(
        f"{LIST}new/",
        form_data(world, repeat_victim_reference="Jane Smith, 4 Park Road", minutes_wanted="999"),
    )
    text = response.content.decode()

    assert response.status_code == 400
    assert "crime or occurrence reference only" in text
    assert "at most 480 minutes" in text
    assert TaskingRequest.objects.count() == 0


def test_those_without_a_team_cannot_ask(world: RequestsWorld) -> None:
    for user in (world.partner, world.analyst):
        assert client(user).get(f"{LIST}new/").status_code == 403
        assert client(user).post(f"{LIST}new/", form_data(world)).status_code == 403
    assert TaskingRequest.objects.count() == 0


def test_the_sergeant_approves_and_the_team_cannot(world: RequestsWorld) -> None:
    made = make_request(world)
    decide = f"{LIST}{made.pk}/decide/"

    assert client(world.npt).post(decide, {"decision": "approve"}).status_code == 403
    assert client(world.cheshire_sergeant).get(decide).status_code == 404
    blank = client(world.sergeant).post(decide, {"decision": "decline", "reason": ""})
    assert blank.status_code == 400
    assert "Say why" in blank.content.decode()
    made.refresh_from_db()
    assert made.status == RequestStatus.SUBMITTED

    done = client(world.sergeant).post(decide, {"decision": "approve", "reason": "Tuesday"})
    made.refresh_from_db()
    assert done.status_code == 302
    assert made.status == RequestStatus.APPROVED
    assert made.decided_by == world.sergeant
    assert "Approved by sergeant" in client(world.npt).get(f"{LIST}{made.pk}/").content.decode()
    assert client(world.npt).get(f"{LIST}{made.pk}/change/").status_code == 403


def test_the_team_changes_and_withdraws(world: RequestsWorld) -> None:
    made = make_request(world)
    edit = f"{LIST}{made.pk}/change/"
    npt = client(world.npt)

    assert npt.get(edit).status_code == 200
    data = form_data(world, title="Changed title")
    data.pop("neighbourhood")
    assert npt.post(edit, data).status_code == 302
    assert npt.get(f"{LIST}{made.pk}/withdraw/").status_code == 405
    assert client(world.sergeant).post(f"{LIST}{made.pk}/withdraw/").status_code in (302, 403)
    npt.post(f"{LIST}{made.pk}/withdraw/")
    made.refresh_from_db()
    assert made.title == "Changed title"
    assert made.status == RequestStatus.WITHDRAWN


def test_sharing_with_partners(world: RequestsWorld) -> None:
    made = make_request(world)
    share = f"{LIST}{made.pk}/share/"

    assert client(world.partner).get(share).status_code == 404
    response = client(world.npt).post(share, {"organisations": [world.council.pk]})

    assert response.status_code == 302
    assert list(made.shared_with.all()) == [world.council]
    page = client(world.npt).get(f"{LIST}{made.pk}/").content.decode()
    assert "Stoke-on-Trent City Council" in page


def test_the_map_asks_for_cells_of_a_view_or_an_area(world: RequestsWorld) -> None:
    npt = client(world.npt)
    view = npt.get(
        f"{LIST}cells.json", {"south": 52.989, "west": -2.137, "north": 52.991, "east": -2.133}
    )
    area = npt.get(
        f"{LIST}cells.json",
        {
            "polygon": json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[-2.14, 52.98], [-2.13, 52.98], [-2.13, 52.99], [-2.14, 52.98]]
                    ],
                }
            )
        },
    )
    too_big = npt.get(f"{LIST}cells.json", {"south": 52, "west": -3, "north": 53, "east": -2})

    assert world.cell in [c["key"] for c in view.json()["cells"]]
    assert area.status_code == 200
    assert area.json()["cells"]
    assert too_big.status_code == 400
    assert "Zoom in" in too_big.json()["error"]
    assert npt.get(f"{LIST}cells.json").status_code == 400
