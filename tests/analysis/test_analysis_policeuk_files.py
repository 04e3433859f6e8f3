"""Reading police.uk street files without a database."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from beatbook.analysis.policeuk_files import COLUMNS, read_street_crimes, street_file_months

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)
ROWS = [
    "abc,2025-01,Met,Met,-0.09706,51.5181,On or near Wood Street,E01000001,City of London 001A,"
    "Burglary,Under investigation,\n",
    ",2025-01,Met,Met,,,No location,,,Anti-social behaviour,,\n",
    "def,2025-01,Met,Met,0.0,0.0,On or near Null Island,,,Robbery,,\n",
    "ghi,2025-01,Met,Met,-0.1,51.5,On or near Somewhere,E01000002,City of London 001B,"
    "Violence and sexual offences,,\n",
]


def write_month(folder: Path, month: str, rows: list[str]) -> Path:
    path = folder / f"{month}-city-of-london-street.csv"
    path.write_text(HEADER + "".join(r.replace("2025-01", month) for r in rows))
    return path


def test_a_street_csv_is_read_into_the_analysis_columns(tmp_path: Path) -> None:
    crimes = read_street_crimes([write_month(tmp_path, "2025-01", ROWS)])
    assert list(crimes.columns) == list(COLUMNS)
    assert crimes["category"].tolist() == [
        "burglary",
        "anti-social-behaviour",
        "robbery",
        "violent-crime",
    ]
    # The ONS gives this LSOA's centroid as (-0.09706, 51.5181) = BNG (532129, 181625).
    assert crimes.loc[0, "easting"] == pytest.approx(532_129, abs=5)
    assert crimes.loc[0, "northing"] == pytest.approx(181_625, abs=5)
    assert crimes.loc[0, "street_name"] == "On or near Wood Street"
    assert crimes.loc[0, "lsoa_code"] == "E01000001"
    # No coordinates, or coordinates outside the UK: kept, without a position.
    assert np.isnan(crimes.loc[1, "easting"])
    assert np.isnan(crimes.loc[2, "latitude"])
    assert crimes["location_id"].isna().all()
    assert crimes["neighbourhood_id"].isna().all()


def test_zips_months_and_categories(tmp_path: Path) -> None:
    archive = tmp_path / "london.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for month in ("2025-01", "2025-02", "2025-04"):
            z.write(
                write_month(tmp_path, month, ROWS), f"{month}/{month}-city-of-london-street.csv"
            )
        z.writestr("2025-01/2025-01-city-of-london-outcomes.csv", "ignored")
    assert street_file_months([archive]) == ["2025-01", "2025-02", "2025-04"]
    crimes = read_street_crimes([archive], month_from="2025-02", categories=["burglary"])
    assert crimes["month"].tolist() == ["2025-02", "2025-04"]
    assert set(crimes["category"]) == {"burglary"}
    assert read_street_crimes([archive], month_to="2024-12").empty


def test_bad_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="No police.uk file"):
        read_street_crimes([tmp_path / "missing.zip"])
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(ValueError, match="notes.txt is neither"):
        read_street_crimes([other])
    wrong = tmp_path / "2025-01-city-of-london-street.csv"
    wrong.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not a police.uk street file"):
        read_street_crimes([wrong])


def test_merseyside_has_a_missing_month(shared_data: Path) -> None:
    path = shared_data / "policeuk" / "merseyside-2018-2021.zip"
    months = street_file_months([path])
    assert len(months) == 44
    assert "2019-07" not in months
    crimes = read_street_crimes([path], month_from="2019-06", month_to="2019-08")
    assert sorted(crimes["month"].unique()) == ["2019-06", "2019-08"]
    assert crimes["easting"].notna().mean() > 0.99
