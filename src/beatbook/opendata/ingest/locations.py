"""Snap points: stable location ids, British National Grid coordinates and neighbourhoods.

Everything here works on the distinct points of a file (a month of one force has a few
thousand), then spreads the answers back to the rows with one ``take``.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from beatbook.common.projection import to_british_grid
from beatbook.places.spatial import PolygonIndex


def location_id(*, latitude: float, longitude: float, name: str) -> int:
    """The id of a snap point, the same on every server and every reload, with no lookup.

    The key is the point to 6 decimal places (as police.uk publishes it) and its name. The id
    is the top 52 bits of a BLAKE2b hash, so it is exact in JavaScript (2**53) and positive in a
    signed bigint. With n distinct points the chance that any two share an id is about
    n**2 / 2**53: for police.uk's ~750,000 snap points about 6 in 100,000, and 1 in 500 even at
    4 million (every name variant of every point ever published). A collision would file one
    point's crimes under the other's name; ON CONFLICT DO NOTHING keeps the first.
    """
    return _hash_key(_key(round(latitude * 1e6), round(longitude * 1e6), name))


def _key(lat_e6: int, lng_e6: int, name: str) -> str:
    return f"{lat_e6}|{lng_e6}|{name}"


def _hash_key(key: str) -> int:
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 12


# The ids of the snap points this process has seen: a month of one force has a few thousand
# and most come back the next month, so a run hashes each point once. Kept to a bound.
_KNOWN_IDS: dict[str, int] = {}
_KNOWN_IDS_LIMIT = 1 << 21
_KNOWN_IDS_LOCK = threading.Lock()


def _hash_keys(keys: list[str]) -> np.ndarray:
    """``_hash_key`` for many keys, looking each up with no Python call per known key."""
    with _KNOWN_IDS_LOCK:
        known = _KNOWN_IDS
        missing = [key for key in keys if key not in known]
        if len(known) + len(missing) > _KNOWN_IDS_LIMIT:
            known.clear()
            missing = keys
        known.update((key, _hash_key(key)) for key in missing)
        return np.fromiter(map(known.__getitem__, keys), dtype=np.int64, count=len(keys))


def project(latitude: np.ndarray, longitude: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 degrees to EPSG:27700 metres, rounded to whole metres (NaN stays NaN)."""
    # The ingest validates files on several threads; the shared transformer keeps one PROJ
    # object per thread itself (see beatbook.common.projection).
    easting, northing = to_british_grid().transform(longitude, latitude)
    return np.round(np.asarray(easting)), np.round(np.asarray(northing))


@dataclass(frozen=True)
class Points:
    """Per-row columns (nullable arrow arrays) and the distinct locations to insert.

    ``point`` is each row's index into ``locations`` (null without a point), so that anything
    worked out per point (a neighbourhood) reaches the rows with one ``take``.
    """

    latitude: pa.Array
    longitude: pa.Array
    location_id: pa.Array
    easting: pa.Array
    northing: pa.Array
    point: pa.Array
    locations: pa.Table  # id, latitude, longitude, name, easting, northing
    without_location: int

    def neighbourhood_ids(self, neighbourhoods: PolygonIndex) -> pa.Array:
        """Each row's neighbourhood (null where none), from one lookup per distinct point."""
        found = neighbourhoods.lookup(
            self.locations.column("latitude").to_numpy(),
            self.locations.column("longitude").to_numpy(),
        )
        return pc.take(pa.array(found, type=pa.int64(), from_pandas=True), self.point)


def points_build(*, latitude: np.ndarray, longitude: np.ndarray, names: pa.Array) -> Points:
    """Locations and grid references for rows, with NaN where a row has no point."""
    located = ~np.isnan(latitude)
    lat_e6 = np.where(located, np.round(np.nan_to_num(latitude) * 1e6), 0).astype(np.int64)
    lng_e6 = np.where(located, np.round(np.nan_to_num(longitude) * 1e6), 0).astype(np.int64)
    mask = ~located
    keys = pc.binary_join_element_wise(
        pa.array(lat_e6, mask=mask).cast(pa.string()),
        pa.array(lng_e6).cast(pa.string()),
        names,
        "|",
    )
    encoded = pc.dictionary_encode(keys)
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    row_of_point = _first_rows(
        np.where(located, indices, -1).astype(np.int64), len(encoded.dictionary)
    )
    ids = _hash_keys(encoded.dictionary.to_pylist())
    point_lat = lat_e6[row_of_point] / 1e6
    point_lng = lng_e6[row_of_point] / 1e6
    easting, northing = (values.astype(np.int64) for values in project(point_lat, point_lng))
    locations = pa.table(
        {
            "id": ids,
            "latitude": point_lat,
            "longitude": point_lng,
            "name": pc.take(names, pa.array(row_of_point)),
            "easting": easting,
            "northing": northing,
        }
    )
    return Points(
        latitude=pa.array(lat_e6 / 1e6, mask=mask),
        longitude=pa.array(lng_e6 / 1e6, mask=mask),
        location_id=pc.take(pa.array(ids), encoded.indices),
        easting=pc.take(pa.array(easting), encoded.indices),
        northing=pc.take(pa.array(northing), encoded.indices),
        point=encoded.indices,
        locations=locations,
        without_location=int(mask.sum()),
    )


def _first_rows(indices: np.ndarray, distinct: int) -> np.ndarray:
    """For each distinct point, the first row that has it (-1 marks rows without a point)."""
    first = np.full(distinct, -1, dtype=np.int64)
    rows = np.flatnonzero(indices >= 0)
    # Assign in reverse so that the earliest row wins.
    first[indices[rows[::-1]]] = rows[::-1]
    return first
