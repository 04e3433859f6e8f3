from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import shapely

from beatbook.places.geometry import from_geojson
from beatbook.places.models import Neighbourhood
from beatbook.places.services import PlacesImportError, neighbourhoods_import
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

pytestmark = pytest.mark.django_db

MakeZip = Callable[[str, dict[str, bytes | str]], Path]


def _codes(force_id: str) -> dict[str, str]:
    return dict(Neighbourhood.objects.filter(force_id=force_id).values_list("code", "name"))


def test_it_imports_a_zip_of_kmls_for_a_force(lsoas: None, kml_zip: Path) -> None:
    result = neighbourhoods_import(paths=[kml_zip], force_id="staffordshire")

    assert result.rows_loaded == 2
    west = Neighbourhood.objects.get(force_id="staffordshire", code="00AA01")
    east = Neighbourhood.objects.get(force_id="staffordshire", code="00AA02")
    # The KML's own name first, then the CSV beside it.
    assert (west.name, west.description) == ("Northwood Village", "The west of Testtown")
    assert east.name == "Meir Test"
    # LSOAs whose representative points fall inside, and their 2021 populations.
    assert sorted(west.lsoas.values_list("code", flat=True)) == ["E01000001", "E01000002"]
    assert west.population == 1600 + 1400
    assert east.population == 1700 + 1450
    assert (west.min_lng, west.max_lng) == pytest.approx((-2.2, -2.16))
    assert "00AA01.kml" in west.source
    source = SourceFile.objects.get(kind=SourceKind.NEIGHBOURHOODS)
    assert (source.force_id, source.rows_loaded, source.status) == (
        "staffordshire",
        2,
        SourceStatus.LOADED,
    )


def test_a_kml_hole_is_kept(lsoas: None, kml_zip: Path) -> None:
    neighbourhoods_import(paths=[kml_zip], force_id="staffordshire")

    east = from_geojson(Neighbourhood.objects.get(code="00AA02").boundary)
    assert not east.contains(shapely.Point(-2.1245, 52.9855))
    assert east.contains(shapely.Point(-2.13, 52.99))


def test_importing_again_updates_in_place(lsoas: None, kml_zip: Path) -> None:
    neighbourhoods_import(paths=[kml_zip], force_id="staffordshire")
    ids = dict(Neighbourhood.objects.values_list("code", "pk"))

    neighbourhoods_import(paths=[kml_zip], force_id="staffordshire")

    assert dict(Neighbourhood.objects.values_list("code", "pk")) == ids
    assert Neighbourhood.objects.get(code="00AA01").lsoas.count() == 2


def test_neighbourhoods_not_in_the_files_are_kept(lsoas: None, places_dir: Path) -> None:
    neighbourhoods_import(paths=[places_dir / "kml" / "00AA01.kml"], force_id="staffordshire")
    neighbourhoods_import(paths=[places_dir / "kml" / "00AA02.kml"], force_id="staffordshire")

    assert _codes("staffordshire") == {"00AA01": "Northwood Village", "00AA02": "Meir Test"}


def test_a_folder_of_kmls_is_read(lsoas: None, places_dir: Path) -> None:
    result = neighbourhoods_import(paths=[places_dir / "kml"], force_id="staffordshire")

    assert result.rows_loaded == 2
    assert _codes("staffordshire")["00AA02"] == "Meir Test"


def test_a_folder_named_after_a_force_holds_that_forces_files(
    db: None, make_zip: MakeZip, places_dir: Path
) -> None:
    west = (places_dir / "kml" / "00AA01.kml").read_bytes()
    east = (places_dir / "kml" / "00AA02.kml").read_bytes()
    # As police.uk's 2012 zip: KMLs/ holds the Metropolitan files and copies of the City's.
    path = make_zip(
        "met.zip", {"KMLs/00AA01.kml": west, "KMLs/cw.kml": east, "city-of-london/cw.kml": east}
    )

    neighbourhoods_import(paths=[path], force_id="metropolitan")
    neighbourhoods_import(paths=[path], force_id="city-of-london")

    assert set(_codes("metropolitan")) == {"00AA01"}
    assert set(_codes("city-of-london")) == {"cw"}
    assert "city-of-london/cw.kml" in Neighbourhood.objects.get(force_id="city-of-london").source


def test_geojson_takes_the_id_and_name_properties_asked_for(lsoas: None, places_dir: Path) -> None:
    neighbourhoods_import(
        paths=[places_dir / "neighbourhoods.geojson"],
        force_id="staffordshire",
        id_property="nbhd",
        name_property="label",
    )

    assert _codes("staffordshire") == {"WEST": "West Testtown", "EAST": "East Testtown"}
    assert Neighbourhood.objects.get(code="EAST").population == 1700 + 1450


def test_geojson_without_an_id_property_says_which_option_to_use(
    db: None, places_dir: Path
) -> None:
    with pytest.raises(
        PlacesImportError,
        match=r"neighbourhoods\.geojson, feature 1: no neighbourhood id .*--id-property",
    ):
        neighbourhoods_import(
            paths=[places_dir / "neighbourhoods.geojson"], force_id="staffordshire"
        )


def test_without_lsoas_the_name_is_the_id_and_population_unknown(
    db: None, make_zip: MakeZip, places_dir: Path
) -> None:
    path = make_zip("one.zip", {"00AA02.kml": (places_dir / "kml" / "00AA02.kml").read_bytes()})

    neighbourhoods_import(paths=[path], force_id="staffordshire")

    hood = Neighbourhood.objects.get()
    assert (hood.name, hood.population, hood.lsoas.count()) == ("00AA02", None, 0)


def test_a_broken_kml_is_named_and_nothing_is_loaded(
    lsoas: None, make_zip: MakeZip, places_dir: Path
) -> None:
    path = make_zip(
        "broken.zip",
        {
            "KMLs/00AA01.kml": (places_dir / "kml" / "00AA01.kml").read_bytes(),
            "KMLs/00AA03.kml": "<kml><Document>",
        },
    )

    with pytest.raises(PlacesImportError, match=r"broken\.zip: KMLs/00AA03\.kml: not readable KML"):
        neighbourhoods_import(paths=[path], force_id="staffordshire")

    assert not Neighbourhood.objects.exists()
    assert SourceFile.objects.get(kind=SourceKind.NEIGHBOURHOODS).status == SourceStatus.FAILED


def test_kml_with_entities_is_refused(db: None, make_zip: MakeZip) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<kml><Document><name>&b;</name></Document></kml>"
    )
    path = make_zip("bomb.zip", {"00AA09.kml": bomb})

    with pytest.raises(PlacesImportError, match=r"00AA09\.kml: not readable KML"):
        neighbourhoods_import(paths=[path], force_id="staffordshire")


def test_a_kml_without_a_polygon_is_refused(db: None, make_zip: MakeZip) -> None:
    path = make_zip(
        "point.zip",
        {"00AA09.kml": "<kml><Document><Placemark><Point/></Placemark></Document></kml>"},
    )

    with pytest.raises(PlacesImportError, match=r"00AA09\.kml: the KML has no Polygon"):
        neighbourhoods_import(paths=[path], force_id="staffordshire")


def test_boundaries_that_miss_every_lsoa_of_the_force_are_refused(
    lsoas: None, places_dir: Path, tmp_path: Path
) -> None:
    # The same shapes moved to London: another force's boundaries, say.
    text = (places_dir / "neighbourhoods.geojson").read_text()
    london = tmp_path / "london.geojson"
    london.write_text(text.replace("-2.", "-0.").replace("52.98", "51.48").replace("53.0", "51.5"))

    with pytest.raises(
        PlacesImportError,
        match="none of the 2 boundaries covers any of the 4 LSOAs of force staffordshire",
    ):
        neighbourhoods_import(paths=[london], force_id="staffordshire", id_property="nbhd")

    assert not Neighbourhood.objects.exists()


def test_an_unknown_force_is_refused(db: None, kml_zip: Path) -> None:
    with pytest.raises(PlacesImportError, match="unknown force 'gotham'"):
        neighbourhoods_import(paths=[kml_zip], force_id="gotham")


def test_a_zip_with_no_boundaries_for_the_force_is_refused(db: None, make_zip: MakeZip) -> None:
    path = make_zip("notes.zip", {"readme.txt": "nothing here"})

    with pytest.raises(
        PlacesImportError, match=r"notes\.zip: no KML or GeoJSON boundary files for this force"
    ):
        neighbourhoods_import(paths=[path], force_id="staffordshire")


def test_the_same_neighbourhood_in_two_files_is_refused(
    db: None, places_dir: Path, kml_zip: Path
) -> None:
    with pytest.raises(PlacesImportError, match="neighbourhood 00AA01 is also drawn by"):
        neighbourhoods_import(
            paths=[kml_zip, places_dir / "kml" / "00AA01.kml"], force_id="staffordshire"
        )
