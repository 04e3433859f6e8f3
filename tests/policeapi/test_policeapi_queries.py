"""Query budgets: each route costs a fixed handful of queries, however many rows it returns."""

from __future__ import annotations

import pytest
from django.test import Client
from police_world import CENTRE, P_THEFT, PoliceData
from pytest_django import DjangoAssertNumQueries

POINT = f"lat={CENTRE[0]}&lng={CENTRE[1]}"
POLY = "52.98,-2.14:52.98,-2.12:52.995,-2.12:52.995,-2.14"

BUDGETS = [
    # months held, crimes (with their locations), outcome files held, latest outcome months
    (f"/api/crimes-street/all-crime?{POINT}", 4),
    # months held, candidates, rows by id, outcome files held, outcome months
    (f"/api/crimes-street/all-crime?poly={POLY}", 5),
    ("/api/crimes-at-location?location_id=1001&date=2025-02", 5),
    ("/api/crimes-no-location?category=all-crime&force=staffordshire", 5),
    ("/api/crime-categories?date=2025-02", 1),
    ("/api/crime-last-updated", 1),
    ("/api/crimes-street-dates", 2),
    # months held, the crime, its outcomes
    (f"/api/outcomes-for-crime/{P_THEFT}", 3),
    # months held, the location, outcomes, months held, their crimes
    ("/api/outcomes-at-location?location_id=1001&date=2025-03", 5),
    (f"/api/outcomes-at-location?{POINT}&date=2025-03", 4),
    (f"/api/stops-street?{POINT}", 2),
    ("/api/stops-at-location?location_id=1001", 2),
    ("/api/stops-no-location?force=staffordshire", 2),
    ("/api/stops-force?force=staffordshire", 2),
    ("/api/forces", 1),
    ("/api/forces/staffordshire", 2),
    ("/api/forces/staffordshire/people", 2),
    ("/api/staffordshire/neighbourhoods", 2),
    # the neighbourhood with its team's contact details, links, locations
    ("/api/staffordshire/SOT.LONGTON", 3),
    ("/api/staffordshire/SOT.LONGTON/boundary", 1),
    ("/api/staffordshire/SOT.LONGTON/people", 2),
    # the neighbourhood, its team's events, the public activities of operations covering it
    ("/api/staffordshire/SOT.LONGTON/events", 3),
    ("/api/staffordshire/SOT.LONGTON/priorities", 2),
    ("/postcodes/ST31AA", 2),
]


@pytest.mark.parametrize(("url", "budget"), BUDGETS)
def test_each_route_keeps_to_its_query_budget(
    client: Client,
    police_data: PoliceData,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    url: str,
    budget: int,
) -> None:
    # Budgets are for a server that has answered before: the first request of a process also
    # reads which months are held, which it then keeps until the next import.
    client.get("/api/crimes-street-dates")
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200, url


def test_locating_a_neighbourhood_is_a_fixed_cost(
    client: Client,
    police_data: PoliceData,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client.get(f"/api/locate-neighbourhood?q={CENTRE[0]},{CENTRE[1]}")  # builds the index
    # Fingerprints of the neighbourhood and LSOA indexes, then the neighbourhood found.
    with django_assert_max_num_queries(3):
        response = client.get(f"/api/locate-neighbourhood?q={CENTRE[0]},{CENTRE[1]}")
    assert response.json()["neighbourhood"] == "SOT.LONGTON"


def test_a_new_import_shows_in_the_months_held_at_once(
    client: Client, police_data: PoliceData
) -> None:
    from django.utils import timezone

    from beatbook.records.models import SourceFile, SourceKind, SourceStatus

    before = [entry["date"] for entry in client.get("/api/crimes-street-dates").json()]
    SourceFile.objects.create(
        kind=SourceKind.STREET,
        path="/data/2031-01-staffordshire-street.csv",
        sha256="1" * 64,
        force_id="staffordshire",
        month="2031-01",
        status=SourceStatus.LOADED,
        started_at=timezone.now(),
    )
    after = [entry["date"] for entry in client.get("/api/crimes-street-dates").json()]

    assert "2031-01" not in before
    assert after[0] == "2031-01"
    assert after[1:] == before
