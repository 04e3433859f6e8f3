"""Finding a neighbourhood by a town's name (GeoNames, loaded by the migration), out-of-area
postcodes and places, and the one finder that residents and staff share.

The neighbourhoods are squares round the real GeoNames points of Uttoxeter, Burton upon Trent
and Stafford, and two round Longton: one holding GeoNames' point for Longton (500 m off the
town centre) and one, named after the town, that does not.
"""

from __future__ import annotations

import pytest
from django.test import Client

from beatbook.insights.areas import area_resolve
from beatbook.places.models import Force, Lsoa, Neighbourhood, Postcode
from beatbook.residents.find import POLICE_UK_FIND, find_by_name

pytestmark = pytest.mark.django_db


def _square(south: float, north: float, west: float, east: float) -> dict[str, object]:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {
        "boundary": {"type": "Polygon", "coordinates": [ring]},
        "min_lat": south,
        "max_lat": north,
        "min_lng": west,
        "max_lng": east,
        "centre_lat": (south + north) / 2,
        "centre_lng": (west + east) / 2,
    }


def _around(latitude: float, longitude: float, half: float = 0.02) -> dict[str, object]:
    return _square(latitude - half, latitude + half, longitude - half, longitude + half)


@pytest.fixture
def towns() -> dict[str, Neighbourhood]:
    force = Force.objects.get(pk="staffordshire")
    hoods = {
        "uttoxeter": ("Town (East Staffordshire)", _around(52.8984, -1.8649)),
        "burton": ("Shobnall", _around(52.8073, -1.6426)),
        "stafford": ("Forebridge", _around(52.8052, -2.1164)),
        "dresden": ("Dresden & Florence", _square(52.975, 52.9836, -2.14, -2.12)),
        "longton": ("Longton & Meir Hay South", _square(52.9837, 52.995, -2.14, -2.12)),
    }
    made = {
        key: Neighbourhood.objects.create(
            force=force, code=f"SOT.{key.upper()}", name=name, **shape
        )
        for key, (name, shape) in hoods.items()
    }
    lsoa = Lsoa.objects.create(code="E01029700", name="Stafford 001A", census_year=2011)
    made["stafford"].lsoas.add(lsoa)
    Postcode.objects.create(postcode="ST16 1AA", quality=1, latitude=52.805, longitude=-2.116)
    return made


def _goes_to(client: Client, text: str) -> str:
    response = client.get("/neighbourhoods/", {"q": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def test_a_town_finds_the_neighbourhood_it_is_in(
    client: Client, towns: dict[str, Neighbourhood]
) -> None:
    assert _goes_to(client, "Uttoxeter") == "/neighbourhoods/staffordshire/SOT.UTTOXETER/"
    assert _goes_to(client, "Burton upon Trent") == "/neighbourhoods/staffordshire/SOT.BURTON/"
    # Another spelling GeoNames knows, typed any case.
    assert _goes_to(client, "burton-on-trent") == "/neighbourhoods/staffordshire/SOT.BURTON/"


def test_the_town_comes_first_and_lsoas_are_never_shown(
    client: Client, towns: dict[str, Neighbourhood]
) -> None:
    response = client.get("/neighbourhoods/", {"q": "Stafford"})

    assert response.status_code == 200
    matches = response.context["matches"]
    assert [m.neighbourhood.name for m in matches] == ["Forebridge", "Town (East Staffordshire)"]
    assert matches[0].matched_on == "Stafford"
    text = response.content.decode()
    assert "includes Stafford" in text
    assert "001A" not in text
    assert "E01029700" not in text
    # GeoNames' licence (CC BY 4.0) asks for the credit where its names are used.
    assert 'href="https://www.geonames.org/"' in text


def test_a_neighbourhood_named_after_the_town_stands_for_it(
    client: Client, towns: dict[str, Neighbourhood]
) -> None:
    # GeoNames' point for Longton is in Dresden & Florence; the town's own neighbourhood wins.
    assert _goes_to(client, "Longton") == "/neighbourhoods/staffordshire/SOT.LONGTON/"


def _error_page(client: Client, url: str, query: dict[str, str]) -> str:
    response = client.get(url, query, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_an_out_of_area_postcode_says_so_and_links_to_police_uk(
    client: Client, towns: dict[str, Neighbourhood]
) -> None:
    text = _error_page(client, "/neighbourhoods/", {"postcode": "L1 8JQ"})

    assert "The postcode L1 8JQ is outside the areas we cover" in text
    assert "Staffordshire Police" in text
    assert "Check it is right" not in text
    assert f'href="{POLICE_UK_FIND}"' in text


def test_a_mistyped_postcode_of_our_area_is_asked_again(
    client: Client, towns: dict[str, Neighbourhood]
) -> None:
    text = _error_page(client, "/neighbourhoods/", {"postcode": "ST16 9ZZ"})

    assert "We cannot find the postcode ST16 9ZZ. Check it is right" in text
    assert POLICE_UK_FIND not in text


def test_an_out_of_area_town_and_map_click_link_to_police_uk(
    client: Client, towns: dict[str, Neighbourhood]
) -> None:
    by_name = _error_page(client, "/neighbourhoods/", {"q": "Liverpool"})
    by_map = _error_page(client, "/neighbourhoods/locate", {"lat": "53.41", "lng": "-2.98"})

    assert "Liverpool is outside the areas we cover" in by_name
    assert f'href="{POLICE_UK_FIND}"' in by_name
    assert "That place is outside the areas we cover" in by_map
    assert f'href="{POLICE_UK_FIND}"' in by_map


@pytest.mark.parametrize("text", ["Longton", "Uttoxeter", "Burton upon Trent", "burton on trent"])
def test_staff_find_an_area_as_residents_do(towns: dict[str, Neighbourhood], text: str) -> None:
    area = area_resolve(text=text, force_ids=["staffordshire"])

    assert area.kind == "neighbourhood"
    assert area.neighbourhood_id == find_by_name(text=text)[0].neighbourhood.pk
