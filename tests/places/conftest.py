"""Small places fixtures: four LSOAs in a row near Stoke, their tables, KMLs and a Code-Point zip.

The LSOAs are 0.02 degree squares at latitude 52.98-53.00, from west to east:
A E01000001 (MSOA 001), B E01000002 (MSOA 002), C E01000003 and D E01000004 (MSOA 003).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from beatbook.places.services import (
    lsoa_boundaries_import,
    lsoa_forces_import,
    lsoa_population_import,
)
from beatbook.places.spatial import forget_cached_indexes

from .codepoint import NORTHWOOD, POSTCODES, codepoint_rows, write_codepoint_zip

PLACES = Path(__file__).resolve().parent.parent / "fixtures" / "places"


@pytest.fixture(autouse=True)
def _fresh_indexes() -> None:
    forget_cached_indexes()


@pytest.fixture
def places_dir() -> Path:
    return PLACES


@pytest.fixture
def lsoas(db: Any) -> None:
    """The four LSOAs with boundaries, both censuses' populations and Staffordshire as force."""
    lsoa_boundaries_import(path=PLACES / "lsoas-2011.geojson")
    lsoa_population_import(path=PLACES / "lsoa-2011-population.csv")
    lsoa_population_import(path=PLACES / "lsoa-2021-population.csv")
    lsoa_forces_import(path=PLACES / "lsoa-2011-police-force-lookup.csv")


@pytest.fixture
def codepoint_zip(tmp_path: Path) -> Path:
    return write_codepoint_zip(
        tmp_path / "codepo_gb.zip",
        {
            "st": codepoint_rows(POSTCODES),
            "ws": codepoint_rows([("WS1 1AA", 52.99, -2.19, NORTHWOOD)]),
        },
    )


@pytest.fixture
def make_zip(tmp_path: Path) -> Callable[[str, dict[str, bytes | str]], Path]:
    def make(name: str, members: dict[str, bytes | str]) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        return path

    return make


@pytest.fixture
def kml_zip(make_zip: Callable[[str, dict[str, bytes | str]], Path]) -> Path:
    """Two neighbourhood KMLs in police.uk's layout, with a names CSV beside them."""
    return make_zip(
        "neighbourhoods.zip",
        {
            "KMLs/00AA01.kml": (PLACES / "kml" / "00AA01.kml").read_bytes(),
            "KMLs/00AA02.kml": (PLACES / "kml" / "00AA02.kml").read_bytes(),
            "names.csv": (PLACES / "kml" / "names.csv").read_bytes(),
        },
    )
