from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import shapely

from beatbook.places.models import Lsoa
from beatbook.places.services import (
    PlacesImportError,
    lsoa_boundaries_import,
    lsoa_forces_import,
    lsoa_population_import,
)
from beatbook.places.services.common import file_sha256
from beatbook.places.services.lsoa_forces import force_key
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

pytestmark = pytest.mark.django_db


def _geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _square(
    code_key: str, code: str, name_key: str, name: str, west: float = -2.2
) -> dict[str, Any]:
    ring = [[west, 52.98], [west + 0.02, 52.98], [west + 0.02, 53.0], [west, 53.0], [west, 52.98]]
    return {
        "type": "Feature",
        "properties": {code_key: code, name_key: name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


class TestBoundaries:
    def test_it_loads_boundaries_with_a_bounding_box_and_a_point_inside(
        self, places_dir: Path
    ) -> None:
        result = lsoa_boundaries_import(path=places_dir / "lsoas-2011.geojson")

        assert result.rows_loaded == 4
        lsoa = Lsoa.objects.get(code="E01000002")
        assert lsoa.name == "Testtown 002A"
        assert lsoa.census_year == 2011
        assert (lsoa.min_lng, lsoa.max_lng) == pytest.approx((-2.18, -2.16))
        assert (lsoa.min_lat, lsoa.max_lat) == pytest.approx((52.98, 53.0))
        polygon = shapely.from_geojson(json.dumps(lsoa.boundary))
        assert polygon.contains(shapely.Point(lsoa.centre_lng, lsoa.centre_lat))

    def test_it_rounds_coordinates_to_six_decimal_places(self, tmp_path: Path) -> None:
        feature = _square("LSOA11CD", "E01000001", "LSOA11NM", "Fine 001A", west=-2.123456789)
        lsoa_boundaries_import(path=_geojson(tmp_path / "fine.geojson", [feature]))

        boundary = Lsoa.objects.get().boundary
        assert boundary is not None
        ring = boundary["coordinates"][0]
        assert ring[0] == [-2.123457, 52.98]

    def test_it_reads_gzipped_files_and_2021_property_names(self, tmp_path: Path) -> None:
        path = tmp_path / "lsoa21.geojson.gz"
        document = {
            "type": "FeatureCollection",
            "features": [_square("LSOA21CD", "E01099999", "LSOA21NM", "New 001A")],
        }
        path.write_bytes(gzip.compress(json.dumps(document).encode()))

        lsoa_boundaries_import(path=path)

        lsoa = Lsoa.objects.get()
        assert (lsoa.code, lsoa.name, lsoa.census_year) == ("E01099999", "New 001A", 2021)

    def test_loading_again_updates_in_place_and_keeps_population_and_force(
        self, lsoas: None, places_dir: Path
    ) -> None:
        before = Lsoa.objects.get(code="E01000001")

        lsoa_boundaries_import(path=places_dir / "lsoas-2011.geojson")

        after = Lsoa.objects.get(code="E01000001")
        assert Lsoa.objects.exclude(boundary=None).count() == 4
        assert (after.population_2011, after.population_2021, after.force_id) == (
            1563,
            1600,
            "staffordshire",
        )
        assert after.boundary == before.boundary
        assert (
            SourceFile.objects.filter(
                kind=SourceKind.LSOA_BOUNDARIES, status=SourceStatus.LOADED
            ).count()
            == 1
        )
        assert (
            SourceFile.objects.filter(
                kind=SourceKind.LSOA_BOUNDARIES, status=SourceStatus.REPLACED
            ).count()
            == 1
        )

    def test_it_records_what_was_imported(self, places_dir: Path) -> None:
        path = places_dir / "lsoas-2011.geojson"

        result = lsoa_boundaries_import(path=path)

        source = SourceFile.objects.get(pk=result.source_file_ids[0])
        assert source.kind == SourceKind.LSOA_BOUNDARIES
        assert source.status == SourceStatus.LOADED
        assert source.sha256 == file_sha256(path)
        assert (source.rows_read, source.rows_loaded) == (4, 4)
        assert source.finished_at is not None
        assert source.finished_at >= source.started_at
        assert "4 2011 LSOAs" in source.message

    def test_it_rejects_a_file_without_lsoa_properties(self, tmp_path: Path) -> None:
        path = _geojson(
            tmp_path / "wards.geojson", [_square("WD11CD", "E05000001", "WD11NM", "A ward")]
        )

        with pytest.raises(
            PlacesImportError, match=r"wards\.geojson: feature 1 has neither LSOA11CD nor LSOA21CD"
        ):
            lsoa_boundaries_import(path=path)

        assert not Lsoa.objects.exists()
        failed = SourceFile.objects.get()
        assert failed.status == SourceStatus.FAILED
        assert "LSOA11CD" in failed.message

    def test_a_bad_feature_changes_nothing_and_is_named(self, lsoas: None, tmp_path: Path) -> None:
        good = _square("LSOA11CD", "E01000001", "LSOA11NM", "Renamed 001A")
        bad = _square("LSOA11CD", "E01000002", "LSOA11NM", "Testtown 002A")
        bad["geometry"] = {"type": "Point", "coordinates": [-2.17, 52.99]}
        path = _geojson(tmp_path / "mixed.geojson", [good, bad])

        with pytest.raises(
            PlacesImportError,
            match=r"mixed\.geojson, feature 2 \(E01000002\): the geometry is not a polygon",
        ):
            lsoa_boundaries_import(path=path)

        assert Lsoa.objects.get(code="E01000001").name == "Testtown 001A"

    def test_it_rejects_coordinates_that_are_not_longitude_and_latitude(
        self, tmp_path: Path
    ) -> None:
        feature = _square("LSOA11CD", "E01000001", "LSOA11NM", "Grid 001A")
        feature["geometry"]["coordinates"] = [
            [[388000, 342000], [389000, 342000], [389000, 343000], [388000, 342000]]
        ]

        with pytest.raises(PlacesImportError, match="not WGS84 longitude/latitude"):
            lsoa_boundaries_import(path=_geojson(tmp_path / "bng.geojson", [feature]))

    def test_it_rejects_a_file_that_is_not_json(self, tmp_path: Path) -> None:
        path = tmp_path / "broken.geojson"
        path.write_text('{"type": "FeatureCollection", "features": [')

        with pytest.raises(PlacesImportError, match=r"broken\.geojson: not valid JSON"):
            lsoa_boundaries_import(path=path)

    def test_it_says_when_the_file_is_missing(self, tmp_path: Path) -> None:
        with pytest.raises(PlacesImportError, match="no such file"):
            lsoa_boundaries_import(path=tmp_path / "nowhere.geojson")


class TestPopulation:
    def test_it_reads_the_2011_table_with_its_odd_header(self, places_dir: Path) -> None:
        lsoa_boundaries_import(path=places_dir / "lsoas-2011.geojson")

        result = lsoa_population_import(path=places_dir / "lsoa-2011-population.csv")

        assert result.rows_loaded == 4
        lsoa = Lsoa.objects.get(code="E01000001")
        # The first "Persons" column (all usual residents), without its thousands separator.
        assert lsoa.population_2011 == 1563
        assert lsoa.households_2011 == 666
        assert (lsoa.msoa_code, lsoa.msoa_name) == ("E02000001", "Testtown 001")
        assert (lsoa.local_authority_code, lsoa.local_authority_name) == (
            "E06000021",
            "Testtown UA",
        )
        assert lsoa.area_hectares == 650
        assert Lsoa.objects.get(code="E01000004").area_hectares == 1020
        assert lsoa.boundary is not None

    def test_it_reads_the_2021_table_and_stops_at_its_footnote(self, places_dir: Path) -> None:
        lsoa_boundaries_import(path=places_dir / "lsoas-2011.geojson")

        result = lsoa_population_import(path=places_dir / "lsoa-2021-population.csv", census=2021)

        assert result.rows_loaded == 5
        assert Lsoa.objects.get(code="E01000001").population_2021 == 1600
        # Known LSOAs keep their census year; a 2021-only one is added without a boundary.
        assert Lsoa.objects.get(code="E01000001").census_year == 2011
        new = Lsoa.objects.get(code="E01099999")
        assert (new.census_year, new.name, new.population_2021, new.boundary) == (
            2021,
            "Testtown 003C",
            1200,
            None,
        )

    def test_the_2021_list_gives_names_only(self, places_dir: Path) -> None:
        result = lsoa_population_import(path=places_dir / "lsoa-2021-list.csv")

        assert "names" in result.message
        lsoa = Lsoa.objects.get(code="E01099999")
        assert (lsoa.name, lsoa.census_year, lsoa.population_2021) == ("Testtown 003C", 2021, None)

    def test_a_2011_table_without_households_still_loads(
        self, places_dir: Path, tmp_path: Path
    ) -> None:
        lines = (places_dir / "lsoa-2011-population.csv").read_text().splitlines()
        path = tmp_path / "population.csv"
        # Drop the last two columns (Households, Persons per household); no quoted commas there.
        path.write_text("\n".join(line.rsplit(",", 2)[0] for line in lines) + "\n")

        lsoa_population_import(path=path)

        lsoa = Lsoa.objects.get(code="E01000001")
        assert (lsoa.population_2011, lsoa.households_2011) == (1563, None)

    def test_names_only_leaves_populations_alone(self, lsoas: None, places_dir: Path) -> None:
        lsoa_population_import(path=places_dir / "lsoa-2021-population.csv", names_only=True)

        assert Lsoa.objects.get(code="E01000001").population_2021 == 1600

    def test_loading_twice_changes_nothing(self, lsoas: None, places_dir: Path) -> None:
        before = list(Lsoa.objects.order_by("code").values())

        lsoa_population_import(path=places_dir / "lsoa-2011-population.csv")
        lsoa_population_import(path=places_dir / "lsoa-2021-population.csv")

        assert list(Lsoa.objects.order_by("code").values()) == before

    def test_it_rejects_a_file_with_the_wrong_header(self, places_dir: Path) -> None:
        with pytest.raises(
            PlacesImportError,
            match=r"police-force-lookup\.csv: the header .* is not an LSOA population table",
        ):
            lsoa_population_import(path=places_dir / "lsoa-2011-police-force-lookup.csv")

    def test_it_rejects_the_other_census(self, places_dir: Path) -> None:
        with pytest.raises(
            PlacesImportError, match="this is the 2021 census TS001 table, not a 2011 table"
        ):
            lsoa_population_import(path=places_dir / "lsoa-2021-population.csv", census=2011)

    def test_a_bad_number_names_the_line_and_changes_nothing(
        self, tmp_path: Path, places_dir: Path
    ) -> None:
        text = (places_dir / "lsoa-2021-population.csv").read_text().replace("1450", "14x0")
        path = tmp_path / "population.csv"
        path.write_text(text)

        with pytest.raises(
            PlacesImportError,
            match=r"population\.csv, line 5: Population '14x0' is not a whole number",
        ):
            lsoa_population_import(path=path)

        assert not Lsoa.objects.exists()

    def test_it_rejects_text_that_is_not_utf8(self, tmp_path: Path) -> None:
        path = tmp_path / "latin1.csv"
        path.write_bytes("LSOA21CD,LSOA21NM\nE01000001,Ynys M\xf4n 001A\n".encode("latin-1"))

        with pytest.raises(PlacesImportError, match=r"latin1\.csv: not UTF-8 text"):
            lsoa_population_import(path=path)


class TestForces:
    def test_it_sets_the_force_of_each_lsoa(self, places_dir: Path) -> None:
        lsoa_boundaries_import(path=places_dir / "lsoas-2011.geojson")

        result = lsoa_forces_import(path=places_dir / "lsoa-2011-police-force-lookup.csv")

        assert result.rows_read == 5
        assert result.rows_loaded == 4
        assert set(Lsoa.objects.values_list("force_id", flat=True)) == {"staffordshire"}
        assert Lsoa.objects.get(code="E01000003").msoa_name == "Testtown 003"
        # A row with no force changes nothing, and creates nothing.
        assert not Lsoa.objects.filter(code="E01000009").exists()

    def test_it_lists_unknown_force_names_and_changes_nothing(
        self, lsoas: None, tmp_path: Path, places_dir: Path
    ) -> None:
        text = (places_dir / "lsoa-2011-police-force-lookup.csv").read_text()
        text = text.replace("Testtown 001A,Staffordshire", "Testtown 001A,Gotham City")
        text = text.replace("Testtown 002A,Staffordshire", "Testtown 002A,Devon and Cornwall")
        path = tmp_path / "lookup.csv"
        path.write_text(text)

        with pytest.raises(
            PlacesImportError,
            match=r"lookup\.csv: unknown police force names: 'Gotham City' \(line 2\)",
        ):
            lsoa_forces_import(path=path)

        assert Lsoa.objects.get(code="E01000002").force_id == "staffordshire"

    def test_it_rejects_a_file_that_is_not_the_lookup(self, places_dir: Path) -> None:
        with pytest.raises(
            PlacesImportError, match="not an LSOA to police force lookup: no column Police_force"
        ):
            lsoa_forces_import(path=places_dir / "lsoa-2011-population.csv")

    @pytest.mark.parametrize(
        ("spelling", "force_id"),
        [
            ("Metropolitan Police", "metropolitan"),
            ("Devon and Cornwall", "devon-and-cornwall"),
            ("Staffordshire", "staffordshire"),
            ("City of London", "city-of-london"),
            ("Avon and Somerset", "avon-and-somerset"),
        ],
    )
    def test_force_names_in_the_lookup_match_police_uk_forces(
        self, spelling: str, force_id: str
    ) -> None:
        from beatbook.places.services.lsoa_forces import force_ids_by_key

        assert force_ids_by_key()[force_key(spelling)] == force_id
