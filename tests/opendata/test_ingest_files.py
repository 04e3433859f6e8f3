"""Loading small police.uk fixtures: the shapes real files come in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from beatbook.opendata.ingest.locations import location_id, project
from beatbook.opendata.models import Crime, Location, StopAndSearch
from beatbook.opendata.services import ingest_paths
from beatbook.records.models import SourceFile

pytestmark = pytest.mark.django_db


def test_it_loads_a_street_file_with_a_bom_asb_rows_no_location_and_repeated_ids(
    policeuk: Path,
) -> None:
    summary = ingest_paths(paths=[policeuk / "good" / "2019-09-merseyside-street.csv"])

    [result] = summary.files
    assert (result.status, result.kind, result.force, result.month) == (
        "loaded",
        "street",
        "merseyside",
        "2019-09",
    )
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (6, 6, 0)
    assert result.rows_without_location == 1
    crimes = Crime.objects.filter(force_id="merseyside", month="2019-09")
    assert crimes.count() == 6
    assert crimes.filter(persistent_id="").count() == 2
    assert crimes.filter(category="anti-social-behaviour").count() == 2
    repeated = "c3e4d5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"
    assert crimes.filter(persistent_id=repeated).count() == 2
    unlocated = crimes.get(persistent_id__startswith="b2f5")
    assert unlocated.location_id is None
    assert unlocated.latitude is None
    assert unlocated.easting is None
    assert unlocated.category == "violent-crime"
    assert unlocated.lsoa_code == ""
    first = crimes.get(persistent_id__startswith="a1433")
    assert first.outcome == "Investigation complete; no suspect identified"
    assert first.lsoa_code == "E01012391"
    assert first.falls_within_id == "merseyside"
    source = SourceFile.objects.get(pk=result.source_id)
    assert source.status == "loaded"
    assert source.rows_loaded == 6
    assert len(source.sha256) == 64


def test_it_loads_crlf_files_with_2021_lsoa_codes(policeuk: Path) -> None:
    ingest_paths(paths=[policeuk / "good" / "2025-06-staffordshire-street.csv"])

    crimes = Crime.objects.filter(force_id="staffordshire", month="2025-06")
    assert sorted(crimes.values_list("lsoa_code", flat=True)) == [
        "E01014161",
        "E01035791",
        "E01035791",
    ]
    assert crimes.get(category="shoplifting").outcome == "Awaiting court outcome"
    assert not crimes.filter(outcome__endswith="\r").exists()


def test_it_keeps_snap_points_as_locations_with_stable_ids_and_grid_references(
    policeuk: Path,
) -> None:
    ingest_paths(paths=[policeuk / "good" / "2019-09-merseyside-street.csv"])

    crime = Crime.objects.get(persistent_id__startswith="a1433")
    expected_id = location_id(
        latitude=53.352456, longitude=-2.804451, name="On or near Higher Road"
    )
    assert crime.location_id == expected_id
    assert 0 < expected_id < 2**52
    location = Location.objects.get(pk=expected_id)
    assert (location.latitude, location.longitude, location.name) == (
        53.352456,
        -2.804451,
        "On or near Higher Road",
    )
    easting, northing = project(
        __import__("numpy").array([53.352456]), __import__("numpy").array([-2.804451])
    )
    assert (location.easting, location.northing) == (int(easting[0]), int(northing[0]))
    assert (crime.easting, crime.northing) == (location.easting, location.northing)
    # Widnes is about 351,000 E, 385,000 N on the National Grid.
    assert 345_000 < crime.easting < 358_000
    assert 380_000 < crime.northing < 390_000
    # The point shared by three rows is one location; a quoted name with a comma is kept whole.
    assert (
        Crime.objects.filter(location__name="On or near Bigdale Drive")
        .values("location")
        .distinct()
        .count()
        == 1
    )
    assert Location.objects.filter(name="On or near Lime Street, Station").exists()
    assert Location.objects.count() == 3


def test_the_same_point_gets_the_same_location_id_in_another_load(policeuk: Path) -> None:
    ingest_paths(paths=[policeuk / "good" / "2019-09-merseyside-street.csv"])
    before = set(Location.objects.values_list("id", flat=True))
    ingest_paths(paths=[policeuk / "good" / "2019-09-merseyside-street.csv"], reload=True)

    assert set(Location.objects.values_list("id", flat=True)) == before
    assert set(Crime.objects.exclude(location=None).values_list("location_id", flat=True)) <= before


def test_it_takes_the_force_and_month_from_the_rows_of_a_csv_named_otherwise(
    policeuk: Path,
) -> None:
    [result] = ingest_paths(paths=[policeuk / "my-export.csv"]).files

    assert (result.status, result.force, result.month) == ("loaded", "staffordshire", "2025-06")
    assert Crime.objects.filter(force_id="staffordshire", month="2025-06").count() == 2


def test_it_loads_stop_and_search_across_the_month_boundary_with_aware_utc_times(
    policeuk: Path,
) -> None:
    [result] = ingest_paths(
        paths=[policeuk / "good" / "2019-06-greater-manchester-stop-and-search.csv"]
    ).files

    assert (result.status, result.rows_loaded, result.rows_without_location) == ("loaded", 3, 1)
    stops = StopAndSearch.objects.filter(force_id="greater-manchester").order_by("datetime")
    assert [stop.month for stop in stops] == ["2019-06", "2019-06", "2019-06"]
    first = stops[0]
    assert first.datetime == dt.datetime(2019, 5, 31, 23, 1, tzinfo=dt.UTC)
    assert first.part_of_policing_operation is False
    assert first.outcome_linked_to_object_of_search is None
    assert first.removal_of_more_than_outer_clothing is False
    assert first.involved_person is True
    assert first.easting is not None
    second = stops[1]
    assert second.part_of_policing_operation is True
    assert second.policing_operation == "Operation Example"
    assert second.outcome_linked_to_object_of_search is True
    vehicle = stops[2]
    assert vehicle.involved_person is False
    assert vehicle.location_id is None
    assert vehicle.gender == ""


def test_it_loads_a_folder_recursively_and_sums_up(policeuk: Path) -> None:
    progress = []
    summary = ingest_paths(paths=[policeuk / "good"], on_progress=progress.append)

    assert [result.status for result in summary.files] == ["loaded", "loaded", "loaded"]
    assert summary.rows_loaded == 6 + 3 + 3
    assert progress[-1].files_done == progress[-1].files_total == 3
    assert progress[-1].bytes_done == progress[-1].bytes_total
    assert progress[-1].rows_loaded == 12
