from __future__ import annotations

from pathlib import Path

import pytest

from beatbook.places.models import AreaName, Postcode
from beatbook.places.postcode import normalise_postcode
from beatbook.places.services import PlacesImportError, postcodes_import
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

from .codepoint import NORTHWOOD, POSTCODES, codepoint_rows, write_codepoint_zip

pytestmark = pytest.mark.django_db


def test_it_loads_code_point_open_as_os_ships_it(codepoint_zip: Path) -> None:
    result = postcodes_import(path=codepoint_zip)

    assert result.rows_loaded == len(POSTCODES) + 1
    postcode = Postcode.objects.get(pk="ST2 1AB")
    assert postcode.latitude == pytest.approx(52.990, abs=2e-5)
    assert postcode.longitude == pytest.approx(-2.170, abs=2e-5)
    assert (postcode.quality, postcode.admin_ward_code, postcode.admin_district_code) == (
        10,
        NORTHWOOD,
        "E06000021",
    )
    assert postcode.admin_county_code == ""
    assert postcode.easting is not None
    assert postcode.northing is not None
    source = SourceFile.objects.get()
    assert (source.kind, source.status, source.rows_loaded) == (
        SourceKind.POSTCODES,
        SourceStatus.LOADED,
        11,
    )


def test_quality_90_means_no_coordinates(codepoint_zip: Path) -> None:
    postcodes_import(path=codepoint_zip)

    postcode = Postcode.objects.get(pk="ST9 9ZZ")
    assert (postcode.quality, postcode.latitude, postcode.longitude, postcode.easting) == (
        90,
        None,
        None,
        None,
    )


def test_it_loads_the_area_names_of_the_code_list(codepoint_zip: Path) -> None:
    result = postcodes_import(path=codepoint_zip)

    assert AreaName.objects.get(pk=NORTHWOOD).name == "Northwood Ward"
    assert AreaName.objects.get(pk=NORTHWOOD).kind == "UTW"
    assert AreaName.objects.get(pk="E06000021").name == "Testtown (B)"
    assert not AreaName.objects.filter(name__startswith="Data Taken").exists()
    assert "3 area names" in result.message


def test_postcodes_are_normalised(tmp_path: Path) -> None:
    rows = codepoint_rows(
        [("st1  1aa", 52.985, -2.195, NORTHWOOD), ("ST11AB", 52.99, -2.19, NORTHWOOD)]
    )
    postcodes_import(path=write_codepoint_zip(tmp_path / "odd.zip", {"st": rows}))

    assert sorted(Postcode.objects.values_list("postcode", flat=True)) == ["ST1 1AA", "ST1 1AB"]


def test_it_loads_only_the_areas_asked_for(codepoint_zip: Path) -> None:
    postcodes_import(path=codepoint_zip, areas=["ws"])

    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["WS1 1AA"]


def test_loading_an_area_again_replaces_it_and_leaves_the_others(
    codepoint_zip: Path, tmp_path: Path
) -> None:
    postcodes_import(path=codepoint_zip)
    smaller = write_codepoint_zip(tmp_path / "later.zip", {"st": codepoint_rows(POSTCODES[:2])})

    postcodes_import(path=smaller)

    assert sorted(Postcode.objects.values_list("postcode", flat=True)) == [
        "ST1 1AA",
        "ST1 1AB",
        "WS1 1AA",
    ]


def test_loading_the_same_zip_twice_changes_nothing(codepoint_zip: Path) -> None:
    postcodes_import(path=codepoint_zip)
    before = list(Postcode.objects.order_by("pk").values())

    postcodes_import(path=codepoint_zip)

    assert list(Postcode.objects.order_by("pk").values()) == before
    assert AreaName.objects.count() == 3


def test_an_area_s_replacement_does_not_touch_a_longer_area(tmp_path: Path) -> None:
    # "S" (Sheffield) and "ST" (Stoke) share a first letter.
    zipped = {
        "s": codepoint_rows([("S1 1AA", 53.38, -1.47, "")]),
        "st": codepoint_rows([("ST1 1AA", 52.985, -2.195, NORTHWOOD)]),
    }
    postcodes_import(path=write_codepoint_zip(tmp_path / "both.zip", zipped))

    postcodes_import(path=write_codepoint_zip(tmp_path / "s.zip", {"s": zipped["s"]}))

    assert Postcode.objects.count() == 2


def test_it_rejects_a_zip_without_the_column_headers(tmp_path: Path) -> None:
    path = write_codepoint_zip(
        tmp_path / "bare.zip", {"st": codepoint_rows(POSTCODES)}, headers=None
    )

    with pytest.raises(
        PlacesImportError, match=r"bare\.zip: no Doc/Code-Point_Open_Column_Headers\.csv"
    ):
        postcodes_import(path=path)

    assert not Postcode.objects.exists()


def test_it_rejects_a_zip_of_something_else(tmp_path: Path) -> None:
    path = write_codepoint_zip(tmp_path / "other.zip", {}, codelist=False)

    with pytest.raises(PlacesImportError, match=r"other\.zip: no Data/CSV/<area>\.csv files"):
        postcodes_import(path=path)


def test_it_rejects_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "codepo_gb.zip"
    path.write_text("Postcode,Eastings\n")

    with pytest.raises(PlacesImportError, match="not a zip file"):
        postcodes_import(path=path)


def test_a_bad_postcode_is_named_with_its_file_and_line(
    codepoint_zip: Path, tmp_path: Path
) -> None:
    postcodes_import(path=codepoint_zip)
    rows = codepoint_rows(POSTCODES)
    rows[3][0] = "NOT A CODE"
    path = write_codepoint_zip(tmp_path / "bad.zip", {"st": rows})

    with pytest.raises(
        PlacesImportError,
        match=r"bad\.zip: Data/CSV/st\.csv, line 4: 'NOT A CODE' is not a postcode",
    ):
        postcodes_import(path=path)

    assert Postcode.objects.count() == len(POSTCODES) + 1


def test_a_bad_easting_is_named_with_its_line(tmp_path: Path) -> None:
    rows = codepoint_rows(POSTCODES)
    rows[1][2] = "38x405"
    path = write_codepoint_zip(tmp_path / "bad.zip", {"st": rows})

    with pytest.raises(
        PlacesImportError, match=r"st\.csv, line 2: easting '38x405' is not a whole number"
    ):
        postcodes_import(path=path)


def test_a_file_with_the_wrong_number_of_columns_is_refused(tmp_path: Path) -> None:
    rows = [row[:9] for row in codepoint_rows(POSTCODES)]
    path = write_codepoint_zip(tmp_path / "short.zip", {"st": rows})

    with pytest.raises(PlacesImportError, match=r"st\.csv: not a Code-Point Open CSV"):
        postcodes_import(path=path)


def test_a_short_row_is_named_with_its_line(tmp_path: Path) -> None:
    rows = codepoint_rows(POSTCODES)
    rows[2] = rows[2][:6]
    path = write_codepoint_zip(tmp_path / "short.zip", {"st": rows})

    with pytest.raises(PlacesImportError, match=r"st\.csv, line 3: 6 columns, not 10"):
        postcodes_import(path=path)


def test_an_area_not_in_the_zip_is_refused(codepoint_zip: Path) -> None:
    with pytest.raises(PlacesImportError, match="no postcode area ZZ in the zip"):
        postcodes_import(path=codepoint_zip, areas=["st", "zz"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("st3 2aa", "ST3 2AA"),
        ("ST32AA", "ST3 2AA"),
        (" EC2V  7HH ", "EC2V 7HH"),
        ("B1 1AA", "B1 1AA"),
        ("ST3", None),
        ("12345", None),
        ("ST3 2A", None),
    ],
)
def test_postcodes_are_normalised_or_refused(text: str, expected: str | None) -> None:
    assert normalise_postcode(text) == expected
