"""police.uk street-level crime files read straight into the analysis DataFrame shape.

The same columns as ``beatbook.insights.selectors.crime_points`` gives from the database, so
tests, benchmarks and recorded back-test results can run on the published files alone. Points
are projected to the British National Grid with pyproj; rows without coordinates (or with
coordinates outside the UK) keep NaN. ``location_id`` and ``neighbourhood_id`` are missing
(``<NA>``): they exist only once a file has been loaded into the database.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from beatbook.analysis.frames import CRIME_POINT_COLUMNS as COLUMNS
from beatbook.common.months import MONTH_FRAGMENT
from beatbook.common.policeuk import CRIME_TYPES
from beatbook.common.projection import to_british_grid

_STREET_FILE = re.compile(rf"(?:^|/)(?P<month>{MONTH_FRAGMENT})-[a-z0-9-]+-street\.csv$")
_SOURCE_COLUMNS = [
    "Month",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
]
_UK_LAT = (49.0, 61.5)
_UK_LNG = (-9.0, 2.5)


def street_file_months(paths: Iterable[str | Path]) -> list[str]:
    """The months that have a street file in ``paths`` (zips or CSVs), sorted.

    A month without a file is missing data, not a month without crime.
    """
    months = {_month_of(name) for _, name in _street_members(paths)}
    return sorted(m for m in months if m is not None)


def read_street_crimes(
    paths: Iterable[str | Path],
    *,
    month_from: str | None = None,
    month_to: str | None = None,
    categories: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Every street-level crime in ``paths`` (zips holding ``*-street.csv`` files, or the CSVs).

    Optionally limited to months ``month_from`` to ``month_to`` inclusive (by file name, so
    other months are not even parsed) and to police.uk category slugs.
    """
    wanted = None if categories is None else set(categories)
    frames = []
    for opener, name in _street_members(paths):
        month = _month_of(name)
        if month is None or (month_from and month < month_from) or (month_to and month > month_to):
            continue
        with opener() as handle:
            frame = _read_one(handle, name)
        if wanted is not None:
            frame = frame[frame["category"].isin(wanted)]
        frames.append(frame)
    if not frames:
        return _shape(pd.DataFrame({column: [] for column in _SOURCE_COLUMNS}))
    return _shape(pd.concat(frames, ignore_index=True))


def _month_of(name: str) -> str | None:
    match = _STREET_FILE.search(name)
    return match.group("month") if match else None


def _street_members(paths: Iterable[str | Path]) -> Iterator[tuple[_Opener, str]]:
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise FileNotFoundError(f"No police.uk file at {path}.")
        if zipfile.is_zipfile(path):
            archive = zipfile.ZipFile(path)
            for name in sorted(archive.namelist()):
                if _STREET_FILE.search(name):
                    yield _Opener(archive, name), name
        elif _STREET_FILE.search(path.name):
            yield _Opener(None, str(path)), path.name
        else:
            raise ValueError(
                f"{path.name} is neither a zip of police.uk files nor a street CSV "
                "(named like 2025-01-staffordshire-street.csv)."
            )


class _Opener:
    def __init__(self, archive: zipfile.ZipFile | None, name: str) -> None:
        self.archive = archive
        self.name = name

    def __call__(self) -> io.BufferedIOBase:
        if self.archive is None:
            return open(self.name, "rb")  # noqa: SIM115 - closed by the caller's with
        return self.archive.open(self.name)  # type: ignore[return-value]


def _read_one(handle: io.BufferedIOBase, name: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(handle, usecols=_SOURCE_COLUMNS, dtype=str, keep_default_na=False)
    except ValueError as error:
        raise ValueError(f"{name} is not a police.uk street file: {error}") from error
    frame["category"] = frame["Crime type"].map(_slug)
    return frame


def _slug(crime_type: str) -> str:
    known = CRIME_TYPES.get(crime_type)
    return known if known else re.sub(r"[^a-z0-9]+", "-", crime_type.lower()).strip("-")


def _shape(frame: pd.DataFrame) -> pd.DataFrame:
    lng = pd.to_numeric(frame["Longitude"], errors="coerce").to_numpy(np.float64)
    lat = pd.to_numeric(frame["Latitude"], errors="coerce").to_numpy(np.float64)
    in_uk = (lat >= _UK_LAT[0]) & (lat <= _UK_LAT[1]) & (lng >= _UK_LNG[0]) & (lng <= _UK_LNG[1])
    lng = np.where(in_uk, lng, np.nan)
    lat = np.where(in_uk, lat, np.nan)
    easting, northing = (
        np.asarray(v, dtype=np.float64) for v in to_british_grid().transform(lng, lat)
    )
    # pyproj turns a missing position into infinity; keep it missing.
    easting[~in_uk] = np.nan
    northing[~in_uk] = np.nan
    size = len(frame)
    return pd.DataFrame(
        {
            "month": frame["Month"].astype(object).to_numpy(),
            "category": frame.get("category", pd.Series([], dtype=object))
            .astype(object)
            .to_numpy(),
            "easting": np.asarray(easting, dtype=np.float64),
            "northing": np.asarray(northing, dtype=np.float64),
            "latitude": lat,
            "longitude": lng,
            "location_id": pd.array([None] * size, dtype="Int64"),
            "street_name": frame["Location"].astype(object).to_numpy(),
            "lsoa_code": frame["LSOA code"].astype(object).to_numpy(),
            "lsoa_name": frame["LSOA name"].astype(object).to_numpy(),
            "neighbourhood_id": pd.array([None] * size, dtype="Int64"),
            "neighbourhood_name": np.array([""] * size, dtype=object),
        },
        columns=list(COLUMNS),
    )
