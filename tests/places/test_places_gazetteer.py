"""The gazetteer: GeoNames' towns and villages loaded by the migration, OS Open Names from a
file in Ordnance Survey's own layout, and the folding of names for search."""

from __future__ import annotations

import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beatbook.places.models import Place, PlaceName
from beatbook.places.services.gazetteer import (
    OPEN_NAMES_COLUMNS,
    PlacesImportError,
    fold_name,
    places_import,
)

pytestmark = pytest.mark.django_db


def test_geonames_towns_and_villages_are_there_from_the_start() -> None:
    uttoxeter = Place.objects.get(source="geonames", name="Uttoxeter")
    burton = Place.objects.get(source="geonames", name="Burton upon Trent")

    assert uttoxeter.population is not None
    assert uttoxeter.population > 10_000
    assert (round(uttoxeter.latitude, 1), round(uttoxeter.longitude, 1)) == (52.9, -1.9)
    assert "Burton-on-Trent" in set(burton.names.values_list("name", flat=True))
    # Villages of 500 people or more, and nothing outside the United Kingdom.
    assert Place.objects.filter(source="geonames", name="Abbots Bromley").exists()
    assert not Place.objects.filter(latitude__lt=49).exists()
    # Names in other scripts and their romanisations are not searched.
    assert not PlaceName.objects.filter(place=burton, name="bartwn apwn trnt").exists()


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Burton-upon-Trent", "burton upon trent"),
        ("St. John's", "st johns"),
        ("Ynys Môn", "ynys mon"),
        ("Talke & Butt Lane", "talke and butt lane"),
        ("  ", ""),
    ],
)
def test_names_are_folded_for_search(text: str, folded: str) -> None:
    assert fold_name(text) == folded


def _row(**values: str) -> str:
    cells = dict.fromkeys(OPEN_NAMES_COLUMNS, "")
    cells.update(values)
    return ",".join(cells[name] for name in OPEN_NAMES_COLUMNS)


def _open_names_zip(path: Path, rows: list[str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Doc/OS_Open_Names_Header.csv", ",".join(OPEN_NAMES_COLUMNS) + "\n")
        archive.writestr("Data/SK03.csv", "\n".join(rows) + "\n")
    return path


TOWN = _row(
    ID="osgb1",
    NAME1="Testbury",
    TYPE="populatedPlace",
    LOCAL_TYPE="Town",
    GEOMETRY_X="409000",
    GEOMETRY_Y="333000",
)
HAMLET = _row(
    ID="osgb2",
    NAME1="Pentre",
    NAME2="Pentref",
    TYPE="populatedPlace",
    LOCAL_TYPE="Hamlet",
    GEOMETRY_X="410000",
    GEOMETRY_Y="334000",
)
ROAD = _row(
    ID="osgb3",
    NAME1="High Street",
    TYPE="transportNetwork",
    LOCAL_TYPE="Named Road",
    GEOMETRY_X="409100",
    GEOMETRY_Y="333100",
)


def test_os_open_names_loads_its_populated_places_only(tmp_path: Path) -> None:
    path = _open_names_zip(tmp_path / "opname_csv_gb.zip", [TOWN, HAMLET, ROAD])

    result = places_import(open_names=path)

    assert result.rows_loaded == 2
    town = Place.objects.get(source="os-open-names", source_id="osgb1")
    assert (town.name, town.kind, town.population) == ("Testbury", "Town", None)
    # British National Grid metres to WGS84: near Uttoxeter.
    assert town.latitude == pytest.approx(52.89, abs=0.02)
    assert town.longitude == pytest.approx(-1.87, abs=0.02)
    hamlet = Place.objects.get(source_id="osgb2")
    assert set(hamlet.names.values_list("folded", flat=True)) == {"pentre", "pentref"}
    # GeoNames' places stay beside them.
    assert Place.objects.filter(source="geonames", name="Uttoxeter").exists()


def test_loading_open_names_again_replaces_what_it_loaded(tmp_path: Path) -> None:
    places_import(open_names=_open_names_zip(tmp_path / "a.zip", [TOWN, HAMLET]))

    places_import(open_names=_open_names_zip(tmp_path / "b.zip", [HAMLET]))

    assert list(Place.objects.filter(source="os-open-names").values_list("name", flat=True)) == [
        "Pentre"
    ]


def test_one_csv_of_open_names_loads_too(tmp_path: Path) -> None:
    path = tmp_path / "SK03.csv"
    path.write_text(",".join(OPEN_NAMES_COLUMNS) + "\n" + TOWN + "\n")

    assert places_import(open_names=path).rows_loaded == 1


def test_a_file_that_is_not_open_names_changes_nothing(tmp_path: Path) -> None:
    places_import(open_names=_open_names_zip(tmp_path / "a.zip", [TOWN]))
    bad = tmp_path / "postcodes.csv"
    bad.write_text("ST3 2AA,10,390000,343000\n")

    with pytest.raises(PlacesImportError, match=r"postcodes.csv, line 1: 4 columns"):
        places_import(open_names=bad)

    assert Place.objects.filter(source="os-open-names").count() == 1


def test_the_command_loads_and_refuses_in_one_line(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "import_places",
        "--open-names",
        str(_open_names_zip(tmp_path / "a.zip", [TOWN])),
        stdout=out,
    )
    assert "1 places from OS Open Names" in out.getvalue()

    empty = _open_names_zip(tmp_path / "roads.zip", [ROAD])
    with pytest.raises(CommandError, match="no populated places") as raised:
        call_command("import_places", "--open-names", str(empty))
    assert "\n" not in str(raised.value)


def test_the_command_loads_geonames_again() -> None:
    before = Place.objects.filter(source="geonames").count()
    out = StringIO()

    call_command("import_places", stdout=out)

    assert Place.objects.filter(source="geonames").count() == before
    assert f"{before} places from GeoNames" in out.getvalue()
