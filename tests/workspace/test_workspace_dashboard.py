"""The dashboard lists what needs action first, finds a neighbourhood by name, filters, and
links its counts to the lists they count; its queries do not grow with the neighbourhoods."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beatbook.accounts.models import OrganisationKind, Role
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Neighbourhood
from beatbook.teams import services
from beatbook.teams.models import Priority
from team_world import PASSWORD, People, World, many_neighbourhoods, question_make

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("workspace:dashboard")


@dataclass
class Busy:
    """120 quiet neighbourhoods named "Area 000".. "Area 119" (all before Longton and Meir
    alphabetically) and, among them, one of each thing that needs action."""

    areas: list[Neighbourhood]
    priority_area: Neighbourhood
    event_area: Neighbourhood


def _busy(world: World, count: int = 120) -> Busy:
    areas = many_neighbourhoods(world.staffordshire, count)
    now = timezone.now()
    question_make(world.longton, asked=now - timedelta(hours=80))  # overdue by 8 hours
    question_make(world.meir, asked=now - timedelta(hours=60))  # 12 hours left
    question_make(areas[3], asked=now - timedelta(hours=2))  # 70 hours left: not yet due soon
    priority_area, event_area = areas[50], areas[80]
    priority = services.priority_create(
        neighbourhood=priority_area, issue="<p>Parking</p>", issue_date=now
    )
    Priority.objects.filter(pk=priority.pk).update(updated_at=now - timedelta(days=200))
    # Added through the admin with no address: residents cannot tell where it is.
    services.event_create(
        neighbourhood=event_area,
        title="Surgery",
        start=now + timedelta(days=4),
        end=now + timedelta(days=4, hours=1),
    )
    return Busy(areas=areas, priority_area=priority_area, event_area=event_area)


def _listed(response: object) -> list[str]:
    page = response.content.decode()  # type: ignore[attr-defined]
    return re.findall(r'<h2 class="govuk-heading-l[^"]*" id="neighbourhood-\d+">([^<]+) <', page)


@pytest.fixture
def officer_client(client: Client, world: World) -> Client:
    client.force_login(world.officer)
    return client


def test_what_needs_action_is_listed_first(officer_client: Client, world: World) -> None:
    busy = _busy(world)
    listed = _listed(officer_client.get(DASHBOARD))
    assert listed[:6] == [
        "Longton",  # an overdue question
        "Meir",  # a question due in the next 24 hours
        busy.priority_area.name,  # a priority due for review
        busy.event_area.name,  # an event with no address
        "Area 003",  # then the rest: a question still inside its 72 hours first,
        "Area 000",  # then by name
    ]
    assert len(listed) == 20
    page = officer_client.get(DASHBOARD).content.decode()
    assert "1 overdue question<" in page
    assert "1 question due in the next 24 hours" in page
    assert "1 priority due for review" in page
    assert "1 event needing attention" in page
    assert "Events needing attention" in page
    assert "residents cannot tell where it is" in page


def test_another_forces_questions_do_not_move_a_read_only_neighbourhood_up(
    client: Client, world: World
) -> None:
    """An analyst reads Staffordshire but answers no residents: Longton's overdue question is
    not theirs to see, so it does not put Longton first for them."""
    busy = _busy(world)
    analyst = user_create(username="analyst", password=PASSWORD, is_staff=True)
    police = organisation_create(
        name="Staffordshire Police analysts",
        kind=OrganisationKind.POLICE_FORCE,
        force=world.staffordshire,
    )
    membership_grant(user=analyst, organisation=police, role=Role.ANALYST)
    client.force_login(analyst)
    listed = _listed(client.get(DASHBOARD))
    assert listed[:3] == [busy.priority_area.name, busy.event_area.name, "Area 000"]
    assert "Longton" not in listed


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "longt"}, ["Longton"]),
        ({"q": "  MEIR "}, ["Meir"]),
        ({"show": "overdue"}, ["Longton"]),
        ({"show": "due-soon"}, ["Meir"]),
        ({"show": "priorities"}, ["Area 050"]),
        ({"show": "events"}, ["Area 080"]),
        ({"show": "action"}, ["Longton", "Meir", "Area 050", "Area 080"]),
        ({"show": "action", "q": "area"}, ["Area 050", "Area 080"]),
        ({"show": "no-officer", "q": "m"}, ["Meir"]),
        ({"force": "staffordshire", "q": "Area 11"}, [f"Area {i}" for i in range(110, 120)]),
    ],
)
def test_search_and_filters(
    officer_client: Client, world: World, query: dict[str, str], expected: list[str]
) -> None:
    _busy(world)
    response = officer_client.get(DASHBOARD, query)
    assert response.status_code == 200
    assert _listed(response) == expected
    page = response.content.decode()
    assert "match" in page
    assert f'href="{DASHBOARD}">Clear filters</a>' in page


def test_the_filters_work_without_javascript_as_a_plain_get_form(
    officer_client: Client, world: World
) -> None:
    page = officer_client.get(DASHBOARD, {"q": "Meir", "show": "all"}).content.decode()
    form = page.split('<form method="get" class="app-filter"')[1].split("</form>")[0]
    assert f'action="{DASHBOARD}"' in form
    assert 'name="q" type="search"' in form
    assert 'value="Meir"' in form
    assert '<option value="all" selected>' in form
    assert '<button type="submit"' in form
    # One force: no force filter to choose from.
    assert 'name="force"' not in form


def test_no_match_says_so(officer_client: Client, world: World) -> None:
    response = officer_client.get(DASHBOARD, {"q": "Atlantis"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "0 neighbourhoods match your filters" in page
    assert "No neighbourhoods match" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"show": "everything"}, "Select which neighbourhoods to show from the list"),
        ({"force": "cheshire"}, "Select a force from the list"),
        ({"q": "x" * 101}, "Enter 100 characters or fewer for the neighbourhood name"),
    ],
)
def test_a_filter_that_is_not_valid_is_explained_and_left_out(
    officer_client: Client, world: World, query: dict[str, str], message: str
) -> None:
    response = officer_client.get(DASHBOARD, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    # Another force's neighbourhood stays out of the list whatever the filter says.
    assert set(_listed(response)) == {"Longton", "Meir"}


def test_the_counts_link_to_what_they_count(officer_client: Client, world: World) -> None:
    _busy(world)
    page = officer_client.get(DASHBOARD).content.decode()
    glance = page.split("At a glance")[1].split("Find a neighbourhood")[0]
    links = re.findall(r'href="([^"]+)"', glance)
    assert links == [
        f"{DASHBOARD}?show=all",
        reverse("enquiries:staff-list"),
        f"{DASHBOARD}?show=overdue",
        f"{DASHBOARD}?show=due-soon",
        f"{DASHBOARD}?show=priorities",
        f"{DASHBOARD}?show=events",
        f"{DASHBOARD}?show=no-officer",
    ]
    for link in links:
        assert officer_client.get(link).status_code == 200, link


def test_a_second_force_gets_a_force_filter(client: Client, world: World) -> None:
    admin = user_create(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(DASHBOARD).content.decode()
    assert 'name="force"' in page
    assert _listed(client.get(DASHBOARD, {"force": "cheshire"})) == ["Crewe"]


def _queries(client: Client, query: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD, query).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "query",
    [{}, {"show": "action"}, {"q": "Area", "show": "all"}, {"show": "priorities", "page": "2"}],
)
def test_the_ordered_and_filtered_dashboard_keeps_its_query_budget(
    officer_client: Client,
    world: World,
    query: dict[str, str],
    django_assert_max_num_queries: object,
) -> None:
    """Ordering by what needs action is one query however many neighbourhoods need it."""
    busy = _busy(world, count=90)
    few = _queries(officer_client, query)
    now = timezone.now()
    more = Neighbourhood.objects.bulk_create(
        Neighbourhood(force=world.staffordshire, code=f"M{i:03d}", name=f"Area M{i:03d}")
        for i in range(80)
    )
    for area in more[:40]:
        services.team_member_create(neighbourhood=area, name="A", rank="PC")
        question_make(area, asked=now - timedelta(hours=80))
        priority = services.priority_create(neighbourhood=area, issue="<p>x</p>", issue_date=now)
        Priority.objects.filter(pk=priority.pk).update(updated_at=now - timedelta(days=200))
    assert busy.areas
    assert _queries(officer_client, query) == few
    # 17: two are the navigation's checks for the Tasking and Partnerships links; one asks
    # for surveys of the neighbourhoods' forces with a closed wave (none here).
    with django_assert_max_num_queries(17):  # type: ignore[operator]
        assert officer_client.get(DASHBOARD, query).status_code == 200


def test_the_dashboard_query_budget_is_the_same_for_a_read_only_role(
    client: Client, world: World, people: People, django_assert_max_num_queries: object
) -> None:
    now = timezone.now()
    extra = many_neighbourhoods(world.staffordshire)
    for n in extra[:40]:
        services.team_member_create(neighbourhood=n, name="A", rank="PC")
        question_make(n, asked=now - timedelta(hours=2))
    for user in (people.analyst, people.mixed, world.officer):
        client.force_login(user)
        # 17: two are the navigation's checks for the Tasking and Partnerships links; one asks
        # for surveys of the neighbourhoods' forces with a closed wave (none here).
        with django_assert_max_num_queries(17):  # type: ignore[operator]
            assert client.get(reverse("workspace:dashboard")).status_code == 200
