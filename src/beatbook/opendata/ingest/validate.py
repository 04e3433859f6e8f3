"""Vectorised row checks: each check marks failing rows; a row's first failure is its reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from beatbook.opendata.ingest import formats
from beatbook.opendata.ingest.results import Rejection

MAX_SAMPLES = 100
_NUMBER = r"^\s*-?\d{1,3}(\.\d+)?\s*$"


class RowErrors:
    """The reason (if any) each row of a file is invalid, with samples that show the value.

    ``lines_of`` gives the line each row starts on; it may read the file, so ``samples`` is
    first called while the file is there, and its answer kept.
    """

    def __init__(
        self,
        rows: int,
        malformed: list[Rejection],
        lines_of: Callable[[np.ndarray], np.ndarray],
    ) -> None:
        self.code = np.full(rows, -1, dtype=np.int16)
        self.reasons: list[str] = []
        self.malformed = malformed
        self._lines_of = lines_of
        self._details: dict[int, tuple[str, pa.Array | None]] = {}
        self._samples: list[Rejection] | None = None

    def add(
        self, failed: np.ndarray | pa.Array, reason: str, values: pa.Array | None = None
    ) -> None:
        self._samples = None
        mask = _as_bool(failed)
        new = mask & (self.code < 0)
        if not new.any():
            return
        code = len(self.reasons)
        self.reasons.append(reason)
        self.code[new] = code
        self._details[code] = (reason, values)

    @property
    def valid(self) -> np.ndarray:
        return self.code < 0

    @property
    def count(self) -> int:
        return int((~self.valid).sum()) + len(self.malformed)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        if self.malformed:
            counts["wrong number of fields"] = len(self.malformed)
        codes, numbers = np.unique(self.code[self.code >= 0], return_counts=True)
        for code, number in zip(codes.tolist(), numbers.tolist(), strict=True):
            counts[self.reasons[code]] = counts.get(self.reasons[code], 0) + number
        return counts

    def samples(self, limit: int = MAX_SAMPLES) -> list[Rejection]:
        """The first ``limit`` (at most ``MAX_SAMPLES``) rejections, in line order."""
        if self._samples is None:
            self._samples = self._first_samples()
        return self._samples[:limit]

    def _first_samples(self) -> list[Rejection]:
        samples = list(self.malformed[:MAX_SAMPLES])
        rows = np.flatnonzero(self.code >= 0)[:MAX_SAMPLES]
        lines = self._lines_of(rows).tolist()
        for row, line in zip(rows.tolist(), lines, strict=True):
            reason, values = self._details[int(self.code[row])]
            if values is not None:
                reason = f"{reason}: {values[row].as_py()!r}"
            samples.append(Rejection(line=int(line), reason=reason))
        return sorted(samples, key=lambda rejection: rejection.line)[:MAX_SAMPLES]


def _as_bool(failed: np.ndarray | pa.Array) -> np.ndarray:
    if isinstance(failed, np.ndarray):
        return failed.astype(bool, copy=False)
    filled: np.ndarray = np.asarray(
        pc.fill_null(failed, False).to_numpy(zero_copy_only=False), dtype=bool
    )
    return filled


@dataclass(frozen=True)
class Coordinates:
    latitude: np.ndarray  # float64, NaN where the row has no location
    longitude: np.ndarray

    @property
    def located(self) -> np.ndarray:
        located: np.ndarray = ~np.isnan(self.latitude)
        return located


def coordinates_check(errors: RowErrors, latitude: pa.Array, longitude: pa.Array) -> Coordinates:
    """Parse the coordinate columns; empty means no location; both or neither; inside the UK."""
    lat_empty = _as_bool(pc.equal(pc.utf8_trim_whitespace(latitude), ""))
    lng_empty = _as_bool(pc.equal(pc.utf8_trim_whitespace(longitude), ""))
    errors.add(lat_empty != lng_empty, "only one of latitude and longitude")
    lat_number = _as_bool(pc.match_substring_regex(latitude, _NUMBER))
    lng_number = _as_bool(pc.match_substring_regex(longitude, _NUMBER))
    errors.add(~lat_empty & ~lat_number, "latitude is not a number", latitude)
    errors.add(~lng_empty & ~lng_number, "longitude is not a number", longitude)
    lat = _floats(latitude, lat_number & lng_number)
    lng = _floats(longitude, lat_number & lng_number)
    outside = ~np.isnan(lat) & (
        (lat < formats.UK_LAT[0])
        | (lat > formats.UK_LAT[1])
        | (lng < formats.UK_LNG[0])
        | (lng > formats.UK_LNG[1])
    )
    errors.add(
        outside, "coordinates outside the UK", pc.binary_join_element_wise(latitude, longitude, ",")
    )
    lat[outside] = np.nan
    lng[outside] = np.nan
    return Coordinates(latitude=lat, longitude=lng)


def _floats(values: pa.Array, usable: np.ndarray) -> np.ndarray:
    kept = pc.if_else(pa.array(usable), pc.utf8_trim_whitespace(values), None)
    return np.asarray(
        pc.cast(kept, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64
    ).copy()


def nuls_check(errors: RowErrors, table: pa.Table) -> None:
    """A NUL character is a row error on both databases: PostgreSQL text cannot hold one (its
    COPY failed with no file or line named) while SQLite would store it."""
    for column in table.column_names:
        errors.add(
            pc.match_substring(table.column(column), "\x00"), f"{column} contains a NUL character"
        )


def lengths_check(errors: RowErrors, table: pa.Table, limits: dict[str, int]) -> None:
    """Text longer than its database column would fail the whole COPY on PostgreSQL."""
    for column, limit in limits.items():
        too_long = pc.greater(pc.utf8_length(table.column(column)), limit)
        errors.add(too_long, f"{column} longer than {limit} characters")


def lookup(values: pa.Array, mapping: dict[str, str]) -> pa.Array:
    """Map strings through ``mapping`` (null where absent), decoding each distinct value once."""
    encoded = pc.dictionary_encode(values)
    keys = encoded.dictionary.to_pylist()
    mapped = pa.array([mapping.get(key) for key in keys], type=pa.string())
    return pc.take(mapped, encoded.indices)


def booleans_check(errors: RowErrors, values: pa.Array, column: str) -> pa.Array:
    """``True``/``False``/empty as police.uk writes them; anything else is an invalid row."""
    words = {"true": "1", "false": "0"}
    normalised = lookup(pc.utf8_lower(pc.utf8_trim_whitespace(values)), words)
    empty = _as_bool(pc.equal(pc.utf8_trim_whitespace(values), ""))
    errors.add(
        _as_bool(pc.is_null(normalised)) & ~empty, f"{column} is not True, False or empty", values
    )
    return pc.equal(normalised, "1")
