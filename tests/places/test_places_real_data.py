"""The real files in ../shared/data: every LSOA of England and Wales, Stoke postcodes, Met KMLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from beatbook.places.models import Lsoa, Neighbourhood
from beatbook.places.selectors import locate_point, locate_postcode
from beatbook.places.services import (
    lsoa_boundaries_import,
    lsoa_forces_import,
    lsoa_population_import,
    neighbourhoods_build,
    neighbourhoods_import,
    postcodes_import,
)

pytestmark = pytest.mark.django_db


def test_staffordshire_neighbourhoods_built_by_ward_from_the_real_files(shared_data: Path) -> None:
    geography = shared_data / "geography"
    lsoa_boundaries_import(path=geography / "lsoa-2011-boundaries-ew-generalised.geojson.gz")
    lsoa_population_import(path=geography / "lsoa-2011-population.csv", census=2011)
    lsoa_population_import(path=geography / "lsoa-2021-population.csv", census=2021)
    lsoa_forces_import(path=geography / "lsoa-2011-police-force-lookup.csv")
    postcodes_import(path=shared_data / "postcodes" / "codepo_gb.zip", areas=["st"])

    neighbourhoods_build(force_id="staffordshire", by="ward")

    assert Lsoa.objects.exclude(boundary=None).count() == 34_753
    assert Lsoa.objects.filter(force_id="staffordshire").count() == 687
    names = set(
        Neighbourhood.objects.filter(force_id="staffordshire").values_list("name", flat=True)
    )
    assert {"Longton & Meir Hay South", "Meir North", "Etruria & Hanley"} <= names
    located = locate_postcode(postcode="ST3 2AA", with_lsoa=True)
    assert located is not None
    assert located.force.id == "staffordshire"
    assert located.neighbourhood is not None
    assert located.neighbourhood.name == "Hollybush"
    assert located.lsoa is not None
    assert located.lsoa.name.startswith("Stoke-on-Trent ")
    hanley = locate_postcode(postcode="ST1 1AF")
    assert hanley is not None
    assert hanley.neighbourhood is not None
    assert hanley.neighbourhood.name == "Etruria & Hanley"
    assert hanley.neighbourhood.population is not None
    assert hanley.neighbourhood.population > 5_000


def test_the_2012_metropolitan_and_city_of_london_kmls(shared_data: Path) -> None:
    path = shared_data / "geography" / "neighbourhoods-metropolitan-city-of-london-2012-kml.zip"

    met = neighbourhoods_import(paths=[path], force_id="metropolitan")
    city = neighbourhoods_import(paths=[path], force_id="city-of-london")

    # KMLs/ holds 635 files, four of them copies of the City's own.
    assert (met.rows_loaded, city.rows_loaded) == (631, 4)
    assert set(
        Neighbourhood.objects.filter(force_id="city-of-london").values_list("code", flat=True)
    ) == {
        "ce",
        "cn",
        "cs",
        "cw",
    }
    in_the_city = locate_point(latitude=51.514, longitude=-0.098)
    assert in_the_city is not None
    assert in_the_city.force.id == "city-of-london"
    in_westminster = locate_point(latitude=51.5101, longitude=-0.1340)
    assert in_westminster is not None
    assert in_westminster.force.id == "metropolitan"
