from __future__ import annotations

from pathlib import Path

import pytest

from beatbook.places.geometry import from_geojson
from beatbook.places.models import Lsoa, Neighbourhood, Place
from beatbook.places.services import (
    PlacesImportError,
    neighbourhoods_build,
    neighbourhoods_import,
    postcodes_import,
)
from beatbook.records.models import SourceFile, SourceKind

from .codepoint import POSTCODES, codepoint_rows, write_codepoint_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def postcodes(lsoas: None, codepoint_zip: Path) -> None:
    postcodes_import(path=codepoint_zip)


def _built() -> dict[str, tuple[str, ...]]:
    return {
        hood.name: tuple(sorted(hood.lsoas.values_list("code", flat=True)))
        for hood in Neighbourhood.objects.filter(force_id="staffordshire")
    }


def test_by_ward_each_lsoa_joins_the_ward_of_most_of_its_postcodes(postcodes: None) -> None:
    result = neighbourhoods_build(force_id="staffordshire", by="ward")

    # B has two Northwood postcodes and one Meir; D has none and joins its neighbour C.
    assert _built() == {
        "Northwood": ("E01000001", "E01000002"),
        "Meir Test": ("E01000003", "E01000004"),
    }
    assert result.rows_loaded == 2
    assert "2 staffordshire neighbourhoods from 4 LSOAs (by ward)" in result.message


def test_a_built_neighbourhood_is_the_union_of_its_lsoas(postcodes: None) -> None:
    neighbourhoods_build(force_id="staffordshire", by="ward")

    hood = Neighbourhood.objects.get(name="Meir Test")
    assert hood.code == "meir-test"
    assert (hood.min_lng, hood.max_lng) == pytest.approx((-2.16, -2.12))
    assert from_geojson(hood.boundary).area == pytest.approx(0.04 * 0.02)
    # 2021 populations where known.
    assert hood.population == 1700 + 1450
    assert hood.source == "built from LSOAs (by ward)"


def _place(name: str, latitude: float, longitude: float, population: int) -> None:
    Place.objects.create(
        source="os-open-names",
        source_id=name,
        name=name,
        latitude=latitude,
        longitude=longitude,
        population=population,
    )


def test_by_msoa_names_come_from_the_wards_and_repeats_are_told_apart(postcodes: None) -> None:
    _place("Testville", 52.99, -2.19, 5_000)
    _place("Otherville", 52.99, -2.17, 3_000)

    neighbourhoods_build(force_id="staffordshire", by="msoa")

    # Told apart by the town inside each, never by the MSOA's statistical name.
    assert _built() == {
        "Northwood (Testville)": ("E01000001",),
        "Northwood (Otherville)": ("E01000002",),
        "Meir Test": ("E01000003", "E01000004"),
    }
    assert set(Neighbourhood.objects.values_list("code", flat=True)) == {
        "northwood-testville",
        "northwood-otherville",
        "meir-test",
    }


def test_an_area_with_no_ward_is_named_after_its_largest_town_not_its_msoa(lsoas: None) -> None:
    _place("Testville", 52.99, -2.19, 5_000)
    _place("Hamlet End", 52.985, -2.195, 600)

    neighbourhoods_build(force_id="staffordshire", by="msoa")

    names = set(_built())
    assert "Testville" in names
    assert "Testtown 001" not in names


def test_by_msoa_without_postcodes_uses_a_town_inside_else_the_msoa_name(lsoas: None) -> None:
    neighbourhoods_build(force_id="staffordshire", by="msoa")

    # GeoNames (loaded by the migration) places Longton inside MSOA 003; 001 and 002 hold no
    # town or village of the gazetteer, and keep their MSOA's name.
    assert set(_built()) == {"Testtown 001", "Testtown 002", "Longton"}


def test_rebuilding_keeps_the_ids_of_unchanged_neighbourhoods_and_drops_the_rest(
    postcodes: None,
) -> None:
    neighbourhoods_build(force_id="staffordshire", by="msoa")
    meir = Neighbourhood.objects.get(code="meir-test").pk

    neighbourhoods_build(force_id="staffordshire", by="ward")

    assert Neighbourhood.objects.get(code="meir-test").pk == meir
    assert set(Neighbourhood.objects.values_list("code", flat=True)) == {"northwood", "meir-test"}


def test_building_twice_changes_nothing(postcodes: None) -> None:
    neighbourhoods_build(force_id="staffordshire", by="ward")
    before = list(
        Neighbourhood.objects.order_by("pk").values("pk", "code", "name", "boundary", "population")
    )

    neighbourhoods_build(force_id="staffordshire", by="ward")

    after = list(
        Neighbourhood.objects.order_by("pk").values("pk", "code", "name", "boundary", "population")
    )
    assert after == before
    assert SourceFile.objects.filter(kind=SourceKind.NEIGHBOURHOOD_BUILD).count() == 2


def test_a_mapping_names_the_neighbourhoods(lsoas: None, places_dir: Path) -> None:
    neighbourhoods_build(force_id="staffordshire", mapping=places_dir / "mapping.csv")

    assert _built() == {
        "Testtown West": ("E01000001", "E01000002"),
        "Testtown East": ("E01000003", "E01000004"),
    }
    assert set(Neighbourhood.objects.values_list("code", flat=True)) == {"TW", "testtown-east"}


def test_a_mapping_with_an_unknown_lsoa_is_refused(lsoas: None, tmp_path: Path) -> None:
    path = tmp_path / "mapping.csv"
    path.write_text("lsoa_code,neighbourhood_name\nE01000001,West\nE01999999,Nowhere\n")

    with pytest.raises(
        PlacesImportError,
        match=r"mapping\.csv: LSOAs without a boundary loaded: E01999999 \(line 3\)",
    ):
        neighbourhoods_build(force_id="staffordshire", mapping=path)

    assert not Neighbourhood.objects.exists()


def test_a_mapping_with_the_wrong_header_is_refused(lsoas: None, tmp_path: Path) -> None:
    path = tmp_path / "mapping.csv"
    path.write_text("code,name\nE01000001,West\n")

    with pytest.raises(
        PlacesImportError, match=r"mapping\.csv: the header must be lsoa_code,neighbourhood_name"
    ):
        neighbourhoods_build(force_id="staffordshire", mapping=path)


def test_a_mapping_that_maps_an_lsoa_twice_is_refused(lsoas: None, tmp_path: Path) -> None:
    path = tmp_path / "mapping.csv"
    path.write_text("lsoa_code,neighbourhood_name\nE01000001,West\nE01000001,East\n")

    with pytest.raises(
        PlacesImportError, match=r"line 3: LSOA E01000001 is already mapped on line 2"
    ):
        neighbourhoods_build(force_id="staffordshire", mapping=path)


def test_by_ward_needs_postcodes(lsoas: None) -> None:
    with pytest.raises(PlacesImportError, match="building by ward needs import-postcodes first"):
        neighbourhoods_build(force_id="staffordshire", by="ward")


def test_a_force_without_lsoas_is_refused(lsoas: None) -> None:
    with pytest.raises(PlacesImportError, match="no LSOAs with boundaries in force cheshire"):
        neighbourhoods_build(force_id="cheshire", by="msoa")


def test_an_unknown_force_is_refused(db: None) -> None:
    with pytest.raises(PlacesImportError, match="unknown force 'gotham'"):
        neighbourhoods_build(force_id="gotham", by="msoa")


def test_it_will_not_build_over_imported_boundaries(lsoas: None, kml_zip: Path) -> None:
    neighbourhoods_import(paths=[kml_zip], force_id="staffordshire")

    with pytest.raises(
        PlacesImportError, match="has 2 neighbourhoods imported from boundary files"
    ):
        neighbourhoods_build(force_id="staffordshire", by="msoa")

    assert set(Neighbourhood.objects.values_list("code", flat=True)) == {"00AA01", "00AA02"}


def test_lsoas_of_other_forces_are_left_out(postcodes: None) -> None:
    Lsoa.objects.filter(code="E01000001").update(force_id="west-midlands")

    neighbourhoods_build(force_id="staffordshire", by="ward")

    assert _built()["Northwood"] == ("E01000002",)


def test_lsoas_far_from_any_loaded_postcode_keep_to_their_msoa(lsoas: None, tmp_path: Path) -> None:
    # Only A's postcodes: B, beside A, joins its ward; C and D are not beside a placed LSOA.
    only_a = write_codepoint_zip(tmp_path / "a.zip", {"st": codepoint_rows(POSTCODES[:3])})
    postcodes_import(path=only_a)

    neighbourhoods_build(force_id="staffordshire", by="ward")

    # They are named after the town inside them (GeoNames' Longton), not their MSOA.
    assert _built() == {
        "Northwood": ("E01000001", "E01000002"),
        "Longton": ("E01000003", "E01000004"),
    }
