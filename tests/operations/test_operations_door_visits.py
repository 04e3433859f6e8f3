"""Door-to-door visits: each door's entry stored exactly once, bad input changing nothing, a
concern passed on as a resident question or a note for the team, and who may log doors.

The routes here are made directly: building them is ``door_lists``' work (tested there).
"""

from __future__ import annotations

import json
import sys
import threading
import types
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import beatbook.operations
from beatbook.accounts.models import User
from beatbook.enquiries.models import OutgoingEmail, Question, QuestionKind
from beatbook.operations import door_visits
from beatbook.operations.door_lists import DoorListError
from beatbook.operations.door_visits import DoorEntry, door_visit_record
from beatbook.operations.models import DoorVisit, TeamNote, VisitRoute

from .operations_world import CENTRES, POSTCODES, OperationsWorld, build_operations_world


def _route(world: OperationsWorld, number: int = 1) -> VisitRoute:
    stops = [
        {"postcode": postcode, "latitude": lat, "longitude": lng, "households": 2}
        for postcode, (lat, lng) in zip(POSTCODES, CENTRES, strict=True)
    ]
    return VisitRoute.objects.create(
        activity=world.doors,
        number=number,
        visitors="PC Shah and Sam Fire",
        stops=stops,
        households=6,
        length_m=1400,
        nearest_neighbour_length_m=1700,
    )


@pytest.fixture
def route(world: OperationsWorld) -> VisitRoute:
    return _route(world)


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _snapshot() -> tuple[int, ...]:
    return (
        DoorVisit.objects.count(),
        Question.objects.count(),
        TeamNote.objects.count(),
        OutgoingEmail.objects.count(),
    )


ANSWERED = DoorEntry(
    postcode="ST3 1AA", door="12", answered=True, advice=["kitchen-fire-safety", "scams"]
)


# --- exactly once ------------------------------------------------------------------------------


def test_an_entry_sent_again_is_stored_once(world: OperationsWorld, route: VisitRoute) -> None:
    client_id = uuid.uuid4()
    first = door_visit_record(route=route, client_id=client_id, entry=ANSWERED, by=world.sergeant)
    again = door_visit_record(
        route=route, client_id=str(client_id), entry=ANSWERED, by=world.fire_officer
    )
    assert first.created is True
    assert again.created is False
    assert again.visit.pk == first.visit.pk
    assert DoorVisit.objects.count() == 1
    stored = DoorVisit.objects.get()
    assert sorted(stored.advice.values_list("slug", flat=True)) == ["kitchen-fire-safety", "scams"]
    assert stored.logged_by == world.sergeant


def test_a_resent_question_is_asked_once(world: OperationsWorld, route: VisitRoute) -> None:
    entry = DoorEntry(
        postcode="ST3 1AB",
        answered=True,
        concerns="Cars parked on the pavement every night.",
        concern_action="question",
    )
    client_id = uuid.uuid4()
    for _ in range(3):
        door_visit_record(route=route, client_id=client_id, entry=entry, by=world.sergeant)
    assert DoorVisit.objects.count() == 1
    assert Question.objects.count() == 1


def test_the_same_id_on_another_route_is_refused(world: OperationsWorld, route: VisitRoute) -> None:
    other = _route(world, number=2)
    client_id = uuid.uuid4()
    door_visit_record(route=route, client_id=client_id, entry=ANSWERED, by=world.sergeant)
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        door_visit_record(route=other, client_id=client_id, entry=ANSWERED, by=world.sergeant)
    assert "another route" in str(refused.value)
    assert _snapshot() == before
    assert DoorVisit.objects.get().route == route


def test_an_entry_stored_by_another_connection_meanwhile_is_returned(
    world: OperationsWorld, route: VisitRoute, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unique id, not the first look, keeps it once: another send may land in between."""
    client_id = uuid.uuid4()
    real = door_visits._checked

    def theirs_first(*args: Any) -> DoorVisit:
        DoorVisit.objects.create(
            route=route, client_id=client_id, postcode="ST3 1AA", answered=False,
            visited_at=timezone.now(),
        )  # fmt: skip
        return real(*args)

    monkeypatch.setattr(door_visits, "_checked", theirs_first)
    recorded = door_visit_record(
        route=route, client_id=client_id, entry=ANSWERED, by=world.sergeant
    )
    assert recorded.created is False
    assert recorded.visit.answered is False  # theirs, not a second row
    assert DoorVisit.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_entry_sent_four_times_at_once_is_stored_once() -> None:
    world = build_operations_world()
    route = _route(world)
    client_id = uuid.uuid4()
    entry = DoorEntry(
        postcode="ST3 1AD",
        answered=True,
        concerns="Smoke alarm missing",
        concern_action="team-note",
    )
    start = threading.Barrier(4)
    results: list[Any] = []

    def send() -> None:
        try:
            start.wait(10)
            results.append(
                door_visit_record(route=route, client_id=client_id, entry=entry, by=world.sergeant)
            )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(not isinstance(result, Exception) for result in results), results
    assert len(results) == 4
    assert sorted(result.created for result in results) == [False, False, False, True]
    assert len({result.visit.pk for result in results}) == 1
    assert DoorVisit.objects.count() == 1
    assert TeamNote.objects.count() == 1


# --- bad input changes nothing -------------------------------------------------------------------

BAD_ENTRIES = {
    "postcode not on the route": DoorEntry(postcode="ST4 9ZZ", answered=True),
    "not a postcode": DoorEntry(postcode="nowhere", answered=True),
    "unknown advice": DoorEntry(postcode="ST3 1AA", answered=True, advice=["astrology"]),
    "unknown referral": DoorEntry(postcode="ST3 1AA", answered=True, referrals=["pest-control"]),
    "advice at an unanswered door": DoorEntry(postcode="ST3 1AA", answered=False, advice=["scams"]),
    "referral at an unanswered door": DoorEntry(
        postcode="ST3 1AA", answered=False, referrals=["housing"]
    ),
    "answered not said": DoorEntry(postcode="ST3 1AA", answered=None),
    "a question with no concern": DoorEntry(
        postcode="ST3 1AA", answered=True, concern_action="question"
    ),
    "an unknown action": DoorEntry(
        postcode="ST3 1AA", answered=True, concerns="x", concern_action="arrest"
    ),
    "a door name too long": DoorEntry(postcode="ST3 1AA", answered=True, door="x" * 81),
    "a naive time": DoorEntry(
        postcode="ST3 1AA", answered=True, visited_at=timezone.now().replace(tzinfo=None)
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ENTRIES))
def test_bad_input_changes_nothing(world: OperationsWorld, route: VisitRoute, case: str) -> None:
    before = _snapshot()
    with pytest.raises(ValidationError):
        door_visit_record(
            route=route, client_id=uuid.uuid4(), entry=BAD_ENTRIES[case], by=world.sergeant
        )
    assert _snapshot() == before


def test_a_bad_id_changes_nothing(world: OperationsWorld, route: VisitRoute) -> None:
    before = _snapshot()
    with pytest.raises(ValidationError):
        door_visit_record(route=route, client_id="not-a-uuid", entry=ANSWERED, by=world.sergeant)
    assert _snapshot() == before


def test_a_failure_after_the_write_leaves_nothing(
    world: OperationsWorld, route: VisitRoute, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Question:
        raise RuntimeError("the enquiries database went away")

    monkeypatch.setattr(door_visits, "question_ask", broken)
    entry = DoorEntry(postcode="ST3 1AA", answered=True, concerns="x", concern_action="question")
    before = _snapshot()
    with pytest.raises(RuntimeError):
        door_visit_record(route=route, client_id=uuid.uuid4(), entry=entry, by=world.sergeant)
    assert _snapshot() == before


def test_a_visit_is_never_later_than_it_arrived(world: OperationsWorld, route: VisitRoute) -> None:
    now = timezone.now()
    entry = DoorEntry(postcode="ST3 1AA", answered=False, visited_at=now + timedelta(hours=3))
    recorded = door_visit_record(
        route=route, client_id=uuid.uuid4(), entry=entry, by=world.sergeant, now=now
    )
    assert recorded.visit.visited_at == now


# --- concerns passed on ------------------------------------------------------------------------


def test_a_concern_becomes_a_question_for_the_team(
    world: OperationsWorld, route: VisitRoute
) -> None:
    visited = timezone.now() - timedelta(hours=2)
    entry = DoorEntry(
        postcode="st31ab",
        door="Flat 3",
        answered=True,
        concerns="People coming and going at all hours next door.",
        concern_action="question",
        visited_at=visited,
    )
    visit = door_visit_record(
        route=route, client_id=uuid.uuid4(), entry=entry, by=world.sergeant
    ).visit
    question = Question.objects.get()
    assert visit.question == question
    assert question.neighbourhood == world.longton
    assert question.kind == QuestionKind.CONCERN
    assert question.subject == "Raised at the door: Flat 3 ST3 1AB"
    assert "Raised at the door of Flat 3 ST3 1AB" in question.body
    assert world.week.name in question.body
    assert question.name == ""
    assert question.email == ""
    assert question.asked_at == visited
    assert question.due_at == visited + timedelta(hours=72)
    assert question.reference.startswith("Q-")
    assert TeamNote.objects.count() == 0


def test_a_concern_becomes_a_note_for_the_team(world: OperationsWorld, route: VisitRoute) -> None:
    entry = DoorEntry(
        postcode="ST3 1AD",
        door="7",
        answered=False,
        concerns="Curtains drawn for weeks, post piling up.",
        concern_action="team-note",
    )
    visit = door_visit_record(
        route=route, client_id=uuid.uuid4(), entry=entry, by=world.fire_officer
    ).visit
    note = TeamNote.objects.get()
    assert note.door_visit == visit
    assert note.operation == world.week
    assert note.created_by == world.fire_officer
    assert "Curtains drawn" in note.text
    assert Question.objects.count() == 0


def test_a_concern_with_nothing_more_stays_on_the_visit(
    world: OperationsWorld, route: VisitRoute
) -> None:
    entry = DoorEntry(postcode="ST3 1AA", answered=True, concerns="Worried about scams.")
    door_visit_record(route=route, client_id=uuid.uuid4(), entry=entry, by=world.sergeant)
    assert DoorVisit.objects.get().concerns == "Worried about scams."
    assert (Question.objects.count(), TeamNote.objects.count()) == (0, 0)


# --- who may log doors -------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["analyst", "cheshire_officer"])
def test_the_service_refuses_who_may_not_add(
    world: OperationsWorld, route: VisitRoute, person: str
) -> None:
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        door_visit_record(
            route=route, client_id=uuid.uuid4(), entry=ANSWERED, by=getattr(world, person)
        )
    assert _snapshot() == before


PAGES = {
    # page: who gets what (an analyst may look at routes and sheets but not log doors)
    "routes": {"sergeant": 200, "coordinator": 200, "fire": 200, "analyst": 200, "cheshire": 404},
    "route-sheet": {"sergeant": 200, "coordinator": 200, "analyst": 200, "cheshire": 404},
    "route-log": {"sergeant": 200, "fire": 200, "analyst": 403, "cheshire": 404},
}


@pytest.mark.parametrize(
    ("page", "username", "status"),
    [(page, name, status) for page, people in PAGES.items() for name, status in people.items()],
)
def test_the_pages_access_matrix(
    world: OperationsWorld, route: VisitRoute, page: str, username: str, status: int
) -> None:
    pk = world.doors.pk if page == "routes" else route.pk
    response = _client(username).get(reverse(f"operations:{page}", args=[pk]))
    assert response.status_code == status
    if status == 404:
        assert world.doors.title not in response.content.decode()


def test_signed_out_people_are_sent_to_sign_in(world: OperationsWorld, route: VisitRoute) -> None:
    for page, pk in [("routes", world.doors.pk), ("route-log", route.pk)]:
        response = Client().get(reverse(f"operations:{page}", args=[pk]))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_routes_of_other_activities_are_not_found(world: OperationsWorld) -> None:
    url = reverse("operations:routes", args=[world.mobile_station.pk])
    assert _client("sergeant").get(url).status_code == 404


def _payload(**changes: Any) -> dict[str, Any]:
    payload = {
        "client_id": str(uuid.uuid4()),
        "postcode": "ST3 1AA",
        "door": "12",
        "answered": True,
        "advice": ["county-lines"],
        "referrals": ["fire-safe-and-well"],
        "concerns": "",
        "concern_action": "",
        "visited_at": timezone.now().isoformat(),
    }
    return {**payload, **changes}


def _post_json(client: Client, route: VisitRoute, payload: object) -> Any:
    return client.post(
        reverse("operations:route-visits", args=[route.pk]),
        data=json.dumps(payload),
        content_type="application/json",
    )


@pytest.mark.parametrize(
    ("username", "status"), [("sergeant", 201), ("fire", 201), ("analyst", 403), ("cheshire", 404)]
)
def test_the_json_address_access_matrix(
    world: OperationsWorld, route: VisitRoute, username: str, status: int
) -> None:
    before = _snapshot()
    response = _post_json(_client(username), route, _payload())
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert DoorVisit.objects.count() == before[0] + (1 if status == 201 else 0)


def test_the_json_address_sends_signed_out_people_to_sign_in(
    world: OperationsWorld, route: VisitRoute
) -> None:
    """The staff check of every staff page; the script keeps an entry not confirmed in JSON."""
    response = _post_json(Client(), route, _payload())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert DoorVisit.objects.count() == 0


def test_the_json_address_stores_once_and_says_so(
    world: OperationsWorld, route: VisitRoute
) -> None:
    client = _client("sergeant")
    payload = _payload()
    first = _post_json(client, route, payload)
    again = _post_json(client, route, payload)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["client_id"] == payload["client_id"]
    assert again.json() == {**first.json(), "created": False}
    visit = DoorVisit.objects.get()
    assert visit.referrals == ["fire-safe-and-well"]


@pytest.mark.parametrize(
    "payload",
    [
        "not an object",
        _payload(answered="yes"),
        _payload(advice="scams"),
        _payload(postcode="ST4 9ZZ"),
        _payload(client_id="nope"),
        _payload(visited_at="yesterday"),
    ],
)
def test_the_json_address_refuses_bad_entries(
    world: OperationsWorld, route: VisitRoute, payload: object
) -> None:
    response = _post_json(_client("sergeant"), route, payload)
    assert response.status_code == 400
    assert response.json()["error"]
    assert DoorVisit.objects.count() == 0


def test_the_json_address_refuses_a_body_that_is_not_json(
    world: OperationsWorld, route: VisitRoute
) -> None:
    response = _client("sergeant").post(
        reverse("operations:route-visits", args=[route.pk]),
        data=b"\xff{",
        content_type="application/json",
    )
    assert response.status_code == 400


# --- the pages without JavaScript --------------------------------------------------------------


def test_the_log_form_works_without_javascript_and_once(
    world: OperationsWorld, route: VisitRoute
) -> None:
    client = _client("sergeant")
    url = reverse("operations:route-log", args=[route.pk])
    page = client.get(url)
    text = page.content.decode()
    assert 'name="client_id"' in text
    assert "Kitchen fire safety" in text
    assert "ST3 1AA: 0 of 2 households logged" in text
    form = {
        "client_id": str(uuid.uuid4()),
        "postcode": "ST3 1AA",
        "door": "12",
        "answered": "yes",
        "advice": ["arson-prevention"],
        "referrals": ["social-care"],
        "concerns": "",
        "concern_action": "",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # sent twice: a double tap
    assert DoorVisit.objects.count() == 1
    after = client.get(url).content.decode()
    assert "1 door logged." in after
    assert "ST3 1AA: 1 of 2 households logged" in after


def test_the_log_form_shows_problems_and_stores_nothing(
    world: OperationsWorld, route: VisitRoute
) -> None:
    url = reverse("operations:route-log", args=[route.pk])
    response = _client("sergeant").post(
        url,
        {
            "client_id": str(uuid.uuid4()),
            "postcode": "ST3 1AA",
            "answered": "no",
            "advice": ["scams"],
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Advice can only be given at a door that was answered." in text
    assert DoorVisit.objects.count() == 0


def test_the_routes_page_lists_routes_and_their_map_data(
    world: OperationsWorld, route: VisitRoute
) -> None:
    text = _client("sergeant").get(reverse("operations:routes", args=[world.doors.pk]))
    content = text.content.decode()
    assert "PC Shah and Sam Fire" in content
    assert "1.4 km" in content
    assert "1.7 km" in content
    assert 'id="route-data"' in content
    assert "vendor/leaflet/leaflet.js" in content
    assert reverse("operations:route-sheet", args=[route.pk]) in content


def test_the_detail_page_links_the_routes(world: OperationsWorld) -> None:
    page = _client("sergeant").get(reverse("operations:detail", args=[world.week.pk]))
    assert reverse("operations:routes", args=[world.doors.pk]) in page.content.decode()


def test_the_sheet_has_a_row_for_every_door(world: OperationsWorld, route: VisitRoute) -> None:
    page = _client("sergeant").get(reverse("operations:route-sheet", args=[route.pk]))
    text = page.content.decode()
    assert text.count("app-door-sheet__blank") == 6 * 5  # 6 households, 5 blank columns
    assert text.index("ST3 1AA") < text.index("ST3 1AB") < text.index("ST3 1AD")
    assert "@media print" not in text  # the print rules live in the stylesheet


# --- building the routes -----------------------------------------------------------------------


@pytest.fixture
def builder(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """``door_lists.visit_routes_build`` stood in for (it is another piece of work): the calls."""
    calls: list[dict[str, Any]] = []

    def build(**kwargs: Any) -> list[VisitRoute]:
        calls.append(kwargs)
        return [VisitRoute.objects.create(activity=kwargs["activity"], number=1)]

    fake = types.SimpleNamespace(visit_routes_build=build, DoorListError=DoorListError)
    monkeypatch.setitem(sys.modules, "beatbook.operations.door_lists", fake)
    monkeypatch.setattr(beatbook.operations, "door_lists", fake, raising=False)
    return calls


def test_building_routes_calls_the_builder(
    world: OperationsWorld, builder: list[dict[str, Any]]
) -> None:
    url = reverse("operations:routes", args=[world.doors.pk])
    response = _client("sergeant").post(url, {"pairs": "2", "visitors": "PC Shah and Sam\n"})
    assert response.status_code == 302
    assert builder == [{"activity": world.doors, "pairs": 2, "visitors": ["PC Shah and Sam", ""]}]


def test_routes_with_logged_doors_are_not_built_again(
    world: OperationsWorld, route: VisitRoute, builder: list[dict[str, Any]]
) -> None:
    door_visit_record(route=route, client_id=uuid.uuid4(), entry=ANSWERED, by=world.sergeant)
    url = reverse("operations:routes", args=[world.doors.pk])
    response = _client("sergeant").post(url, {"pairs": "2"})
    assert response.status_code == 400
    assert "cannot be built again" in response.content.decode()
    assert builder == []


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"pairs": "0"}, "Enter at least 1 pair."),
        ({"pairs": "1", "visitors": "a\nb"}, "at most one"),
    ],
)
def test_a_bad_build_request_is_refused(
    world: OperationsWorld, builder: list[dict[str, Any]], form: dict[str, str], message: str
) -> None:
    url = reverse("operations:routes", args=[world.doors.pk])
    response = _client("sergeant").post(url, form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert builder == []


def test_an_analyst_may_not_build_routes(
    world: OperationsWorld, builder: list[dict[str, Any]]
) -> None:
    url = reverse("operations:routes", args=[world.doors.pk])
    assert _client("analyst").post(url, {"pairs": "2"}).status_code == 403
    assert _client("cheshire").post(url, {"pairs": "2"}).status_code == 404
    assert builder == []
