"""Status codes as police.uk gives them (reference §4), and tolerant parsing (§10 rule 3)."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client
from police_world import CENTRE, P_THEFT, PoliceData
from pytest_django.fixtures import Settings

POINT = f"lat={CENTRE[0]}&lng={CENTRE[1]}"


def status(client: Client, url: str) -> int:
    return client.get(url).status_code


@pytest.mark.parametrize(
    "url",
    [
        "/api/forces/atlantis",
        "/api/forces/btp",  # BTP has data but police.uk does not list it
        "/api/forces/atlantis/people",
        "/api/atlantis/neighbourhoods",
        "/api/staffordshire/NOPE",
        "/api/staffordshire/sot.longton",  # ids are case-sensitive
        "/api/staffordshire/NOPE/boundary",
        "/api/staffordshire/NOPE/people",
        "/api/staffordshire/NOPE/events",
        "/api/staffordshire/NOPE/priorities",
        "/api/outcomes-for-crime/" + "0" * 64,
        "/api/outcomes-for-crime/" + P_THEFT.upper(),
        "/api/crimes-at-location?location_id=999999&date=2025-02",
        "/api/outcomes-at-location?location_id=999999&date=2025-02",
        "/api/crimes-no-location?category=all-crime&force=atlantis",
        "/api/locate-neighbourhood?q=51.5,-0.12",  # outside every neighbourhood we hold
        "/api/locate-neighbourhood?q=banana",
        "/api/locate-neighbourhood",
        f"/api/crimes-street/all-crime?{POINT}&date=2025-13",
        f"/api/crimes-street/all-crime?{POINT}&date=July2025",
        f"/api/crimes-street/all-crime?{POINT}&date=2025-02-15",
        f"/api/crimes-street/all-crime?{POINT}&date=2024-12",  # before the earliest month held
    ],
)
def test_it_answers_404_where_police_uk_does(
    client: Client, police_data: PoliceData, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 404, url
    assert response.content.startswith(b"Not Found")


@pytest.mark.parametrize(
    "url",
    [
        "/api/crimes-street/all-crime?lat=abc&lng=-2.13",
        "/api/crimes-street/all-crime?lat=52.98",
        "/api/crimes-street/all-crime",
        "/api/crimes-street/all-crime?lat=nan&lng=-2.13",
        "/api/crimes-street/all-crime?lat=95&lng=-2.13",
        "/api/crimes-street/all-crime?poly=52.1,0.5:52.2,0.6",  # two vertices
        "/api/crimes-street/all-crime?poly=52.1;0.5:52.2,0.6:52.3,0.7",
        "/api/crimes-street/all-crime?poly=52.1,0.5:52.1,0.5:52.1,0.5",
        "/api/crimes-at-location?date=2025-02",
        "/api/crimes-at-location?location_id=abc",
        "/api/crimes-no-location?category=all-crime",
        "/api/outcomes-at-location?date=2025-02",
        "/api/stops-street?date=2025-02",
        "/api/stops-at-location?date=2025-02",
        "/api/stops-force",
        "/api/stops-no-location",
    ],
)
def test_it_answers_400_for_malformed_parameters(
    client: Client, police_data: PoliceData, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400, url
    assert response.content.startswith(b"Bad Request: ")


@pytest.mark.parametrize(
    "url",
    [
        f"/api/crimes-street/all-crime?{POINT}&date=2031-01",  # after the latest month
        "/api/crimes-street/all-crime?lat=51.5&lng=-0.12&date=2025-02",  # outside coverage
        "/api/stops-at-location?location_id=999999&date=2025-02",
        "/api/stops-force?force=atlantis&date=2025-02",
        "/api/stops-no-location?force=atlantis",
        "/api/crimes-no-location?category=all-crime&force=btp&date=2025-02",
    ],
)
def test_it_answers_an_empty_list_where_police_uk_does(
    client: Client, police_data: PoliceData, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.json() == []


def test_it_ignores_empty_segments_unknown_parameters_and_a_misspelt_date(
    client: Client, police_data: PoliceData
) -> None:
    expected = client.get("/api/crimes-no-location?category=all-crime&force=staffordshire").json()
    assert expected
    for url in (
        "/api/crimes-no-location?&category=all-crime&&force=staffordshire",
        "/api/crimes-no-location?category=all-crime&force=staffordshire&dat=2025-01&colour=blue",
        "/api/crimes-no-location?category=all-crime&force=staffordshire&date=",
    ):
        assert client.get(url).json() == expected, url


def test_an_unknown_category_means_all_crime(client: Client, police_data: PoliceData) -> None:
    all_crime = client.get(f"/api/crimes-street/all-crime?{POINT}").json()
    assert client.get(f"/api/crimes-street/outcomes-at-location?{POINT}").json() == all_crime


def test_it_reads_a_polygon_closed_open_or_as_repeated_keys(
    client: Client, police_data: PoliceData
) -> None:
    open_ring = "52.98,-2.14:52.98,-2.12:52.995,-2.12:52.995,-2.14"
    expected = client.get(f"/api/crimes-street/all-crime?poly={open_ring}").json()
    assert len(expected) == 4
    closed = open_ring + ":52.98,-2.14"
    assert client.get(f"/api/crimes-street/all-crime?poly={closed}").json() == expected
    # pyrozza's list of tuples arrives as poly=lat&poly=lng&poly=lat...
    repeated = "&".join(f"poly={value}" for value in open_ring.replace(":", ",").split(","))
    assert client.get(f"/api/crimes-street/all-crime?{repeated}").json() == expected
    # A self-crossing ring is refused: see test_policeapi_polygon_limits.


def test_an_area_over_the_limit_is_503(
    client: Client, police_data: PoliceData, settings: Settings
) -> None:
    settings.API_AREA_LIMIT = 3
    poly = "52.98,-2.14:52.98,-2.12:52.995,-2.12:52.995,-2.14"
    assert client.get(f"/api/crimes-street/all-crime?poly={poly}&date=2025-02").status_code == 503
    assert client.post("/api/crimes-street/all-crime", {"poly": poly}).status_code == 503
    # Under the limit, the same area is answered.
    assert client.get(f"/api/crimes-street/burglary?poly={poly}&date=2025-02").status_code == 200


def test_a_get_request_line_over_4094_characters_is_400_and_the_same_post_is_answered(
    client: Client, police_data: PoliceData
) -> None:
    vertices = ["52.98,-2.14", "52.98,-2.12", "52.995,-2.12"]
    vertices += [f"52.995,-2.{1200 + i // 10:04d}{i % 10}" for i in range(400)]
    poly = ":".join(vertices)
    long_url = f"/api/crimes-street/all-crime?poly={poly}"
    assert len(long_url) > 4094
    response = client.get(long_url)
    assert response.status_code == 400
    assert b"POST" in response.content
    assert client.post("/api/crimes-street/all-crime", {"poly": poly}).status_code == 200


def test_a_post_with_a_json_body_is_400(client: Client, police_data: PoliceData) -> None:
    response = client.post(
        "/api/crimes-street/all-crime",
        data='{"poly": "52.98,-2.14:52.98,-2.12:52.995,-2.12"}',
        content_type="application/json",
    )
    assert response.status_code == 400


def test_reading_is_open_to_every_origin(client: Client, police_data: PoliceData) -> None:
    response = client.get("/api/forces")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_json_is_gzipped_for_clients_that_accept_it(
    client: Client, police_data: PoliceData
) -> None:
    plain = client.get("/api/forces")
    response = client.get("/api/forces", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain.content
    assert "Content-Encoding" not in plain


def test_head_answers_as_get_without_the_body(client: Client, police_data: PoliceData) -> None:
    get = client.get("/api/forces")
    head = client.head("/api/forces")
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == "application/json"
    assert int(head["Content-Length"]) == len(get.content)
    assert client.head("/api/forces/atlantis").status_code == 404


def test_a_cors_preflight_is_answered(client: Client, police_data: PoliceData) -> None:
    response = client.options(
        "/api/crimes-street/all-crime",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_an_authorization_header_is_ignored(client: Client, police_data: PoliceData) -> None:
    response = client.get("/api/forces", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 200


def test_an_empty_server_answers_empty_lists(client: Client, db: None) -> None:
    assert client.get(f"/api/crimes-street/all-crime?{POINT}").json() == []
    assert client.get("/api/crimes-street-dates").json() == []
    assert client.get("/api/crime-last-updated").json() == {"date": None}
    assert client.get("/api/stops-force?force=staffordshire").json() == []
