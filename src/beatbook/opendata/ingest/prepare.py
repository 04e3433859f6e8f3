"""Validate a file's rows and turn them into the columns of its table, ready to load."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from beatbook.common.months import MONTH_PATTERN
from beatbook.common.policeuk import CRIME_TYPES
from beatbook.opendata.ingest.locations import Points, points_build
from beatbook.opendata.ingest.reader import RawFile
from beatbook.opendata.ingest.results import IngestError, Rejection
from beatbook.opendata.ingest.validate import (
    RowErrors,
    booleans_check,
    coordinates_check,
    lengths_check,
    lookup,
    nuls_check,
)
from beatbook.records.models import SourceKind

# How many row errors a strict load lists in its message.
ERRORS_IN_MESSAGE = 5
_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"


@dataclass
class Prepared:
    """A validated file: per-row columns named as the table's, constants, and its points."""

    raw: RawFile
    force_id: str
    month: str
    columns: dict[str, pa.Array]
    points: Points
    errors: RowErrors
    rows_duplicate: int = 0

    @property
    def kind(self) -> str:
        return self.raw.kind

    @property
    def rows_loaded(self) -> int:
        return int(self.errors.valid.sum())


def file_prepare(*, raw: RawFile, force_names: dict[str, str], skip_invalid_rows: bool) -> Prepared:
    """Check every row; in strict mode any invalid row fails the file with the first few listed."""
    errors = RowErrors(raw.table.num_rows, raw.malformed, raw.lines_of)
    if raw.has_nul:
        # First, so that a NUL is the reason given for its row.
        nuls_check(errors, raw.table)
    builder = _STOP_AND_SEARCH if raw.kind == SourceKind.STOP_AND_SEARCH else _CRIMES_OR_OUTCOMES
    force_id, month, columns, latitude, longitude, names = builder(raw, errors, force_names)
    # Now, while the file is there to count lines in: the samples are kept.
    samples = errors.samples()
    if errors.count and not skip_invalid_rows:
        raise IngestError(_row_errors_message(raw, samples, errors.count))
    valid = errors.valid
    keep = pa.array(valid)
    columns = {name: pc.filter(values, keep) for name, values in columns.items()}
    points = points_build(
        latitude=latitude[valid], longitude=longitude[valid], names=pc.filter(names, keep)
    )
    return Prepared(
        raw=raw,
        force_id=force_id,
        month=month,
        columns=columns,
        points=points,
        errors=errors,
        rows_duplicate=_exact_copies(raw.table.filter(keep)),
    )


def _exact_copies(kept: pa.Table) -> int:
    """Rows that repeat an earlier row of the file exactly, among the rows loaded.

    police.uk publishes such rows (two anti-social behaviour reports at one snap point in one
    month look the same), so they are loaded and counted, not dropped. The columns are joined
    with NUL, which no loaded row holds, so two different rows never join the same.
    """
    if kept.num_rows < 2:
        return 0
    joined = pc.binary_join_element_wise(*kept.columns, "\x00")
    return int(kept.num_rows - pc.count_distinct(joined).as_py())


def _row_errors_message(raw: RawFile, samples: list[Rejection], count: int) -> str:
    listed = "\n".join(
        f"  {raw.item.label}:{sample.line}: {sample.reason}"
        for sample in samples[:ERRORS_IN_MESSAGE]
    )
    return (
        f"{raw.item.label}: {count} invalid row(s), nothing loaded "
        f"(use --skip-invalid-rows to load the valid rows):\n{listed}"
    )


def _column(raw: RawFile, name: str) -> pa.Array:
    return raw.table.column(name).combine_chunks()


Built = tuple[str, str, dict[str, pa.Array], np.ndarray, np.ndarray, pa.Array]


def _crimes_or_outcomes(raw: RawFile, errors: RowErrors, force_names: dict[str, str]) -> Built:
    month = _month_of_rows(raw, errors, _column(raw, "Month"))
    force_id = _force_of_rows(raw, errors, _column(raw, "Reported by"), force_names)
    falls_within = _column(raw, "Falls within")
    falls_within_id = lookup(falls_within, force_names)
    errors.add(
        pc.and_(pc.is_null(falls_within_id), pc.not_equal(falls_within, "")),
        "unknown force in Falls within",
        falls_within,
    )
    coordinates = coordinates_check(errors, _column(raw, "Latitude"), _column(raw, "Longitude"))
    limits = {"Crime ID": 64, "Location": 200, "LSOA code": 9, "LSOA name": 120}
    columns = {
        "persistent_id": _column(raw, "Crime ID"),
        "falls_within_id": falls_within_id,
        "lsoa_code": _column(raw, "LSOA code"),
        "lsoa_name": _column(raw, "LSOA name"),
    }
    if raw.kind == SourceKind.STREET:
        crime_type = _column(raw, "Crime type")
        columns["category"] = lookup(crime_type, CRIME_TYPES)
        errors.add(pc.is_null(columns["category"]), "unknown crime type", crime_type)
        columns["outcome"] = _column(raw, "Last outcome category")
        columns["context"] = _column(raw, "Context")
        limits["Last outcome category"] = 120
    else:
        columns["outcome"] = _column(raw, "Outcome type")
        errors.add(pc.equal(columns["persistent_id"], ""), "no Crime ID")
        limits["Outcome type"] = 120
    lengths_check(errors, raw.table, limits)
    names = pc.if_else(pa.array(coordinates.located), _column(raw, "Location"), "")
    return force_id, month, columns, coordinates.latitude, coordinates.longitude, names


def _month_of_rows(raw: RawFile, errors: RowErrors, months: pa.Array) -> str:
    possible = pc.match_substring_regex(months, MONTH_PATTERN)
    errors.add(pc.invert(possible), "impossible month", months)
    if raw.month:
        errors.add(
            pc.and_(possible, pc.not_equal(months, raw.month)),
            f"month differs from the file's month {raw.month}",
            months,
        )
        return raw.month
    seen = sorted(set(pc.unique(pc.filter(months, possible)).to_pylist()))
    if len(seen) != 1:
        found = ", ".join(seen) if seen else "none"
        raise IngestError(
            f"{raw.item.label}: a police.uk file holds one month; its rows have months {found}"
        )
    return str(seen[0])


def _force_of_rows(
    raw: RawFile, errors: RowErrors, reported_by: pa.Array, force_names: dict[str, str]
) -> str:
    force_ids = lookup(reported_by, force_names)
    errors.add(pc.is_null(force_ids), "unknown force in Reported by", reported_by)
    if raw.force_id:
        errors.add(
            pc.not_equal(force_ids, raw.force_id),
            f"Reported by is not the file's force {raw.force_id}",
            reported_by,
        )
        return raw.force_id
    seen = sorted(set(pc.unique(pc.drop_null(force_ids)).to_pylist()))
    if len(seen) != 1:
        found = ", ".join(seen) if seen else "none"
        raise IngestError(
            f"{raw.item.label}: cannot tell which force the file is for "
            f"(Reported by names {found}); name it YYYY-MM-<force>-street.csv"
        )
    return str(seen[0])


_STOP_TEXT_LIMITS = {
    "Type": 60,
    "Policing operation": 200,
    "Gender": 30,
    "Age range": 20,
    "Self-defined ethnicity": 120,
    "Officer-defined ethnicity": 60,
    "Legislation": 200,
    "Object of search": 120,
    "Outcome": 120,
}
_STOP_TEXT_COLUMNS = {
    "type": "Type",
    "policing_operation": "Policing operation",
    "gender": "Gender",
    "age_range": "Age range",
    "self_defined_ethnicity": "Self-defined ethnicity",
    "officer_defined_ethnicity": "Officer-defined ethnicity",
    "legislation": "Legislation",
    "object_of_search": "Object of search",
    "outcome": "Outcome",
}
_STOP_BOOLEAN_COLUMNS = {
    "part_of_policing_operation": "Part of a policing operation",
    "outcome_linked_to_object_of_search": "Outcome linked to object of search",
    "removal_of_more_than_outer_clothing": "Removal of more than just outer clothing",
}


def _stop_and_search(raw: RawFile, errors: RowErrors, force_names: dict[str, str]) -> Built:
    if not raw.force_id:
        raise IngestError(
            f"{raw.item.label}: stop-and-search files do not say which force they are for; "
            "name it YYYY-MM-<force>-stop-and-search.csv"
        )
    kind = _column(raw, "Type")
    errors.add(pc.equal(pc.utf8_trim_whitespace(kind), ""), "no Type")
    moments = _datetimes(errors, _column(raw, "Date"))
    month = _month_of_moments(raw, errors, moments)
    coordinates = coordinates_check(errors, _column(raw, "Latitude"), _column(raw, "Longitude"))
    lengths_check(errors, raw.table, _STOP_TEXT_LIMITS)
    columns = {field: _column(raw, column) for field, column in _STOP_TEXT_COLUMNS.items()}
    for field, column in _STOP_BOOLEAN_COLUMNS.items():
        columns[field] = booleans_check(errors, _column(raw, column), column)
    columns["datetime"] = moments
    columns["involved_person"] = pc.not_equal(kind, "Vehicle search")
    # The 15-column file has no street names: stops get nameless points (see Location).
    names = pa.array([""] * raw.table.num_rows, type=pa.string())
    return raw.force_id, month, columns, coordinates.latitude, coordinates.longitude, names


def _datetimes(errors: RowErrors, dates: pa.Array) -> pa.Array:
    """police.uk's UTC timestamps as aware datetimes; a time with no offset is taken as UTC."""
    well_formed = pc.match_substring_regex(dates, _DATETIME)
    errors.add(pc.invert(well_formed), "Date is not an ISO 8601 date and time", dates)
    has_offset = pc.match_substring_regex(dates, r"(Z|[+-]\d{2}:\d{2})$")
    text = pc.if_else(has_offset, dates, pc.binary_join_element_wise(dates, "+00:00", ""))
    usable = pc.if_else(well_formed, text, None)
    try:
        return pc.cast(usable, pa.timestamp("us", tz="UTC"))
    except pa.ArrowInvalid:
        # Well formed but impossible (month 13, hour 25): find them one by one.
        return _datetimes_one_by_one(errors, usable, dates)


def _datetimes_one_by_one(errors: RowErrors, usable: pa.Array, dates: pa.Array) -> pa.Array:
    values: list[object] = []
    bad = np.zeros(len(usable), dtype=bool)
    for row, text in enumerate(usable.to_pylist()):
        try:
            values.append(pc.cast(pa.array([text]), pa.timestamp("us", tz="UTC"))[0].as_py())
        except pa.ArrowInvalid:
            values.append(None)
            bad[row] = True
    errors.add(bad, "impossible date", dates)
    return pa.array(values, type=pa.timestamp("us", tz="UTC"))


def _month_of_moments(raw: RawFile, errors: RowErrors, moments: pa.Array) -> str:
    """A stop belongs to its file's month; in UTC it may fall on the previous month's last day."""
    utc_month = pc.strftime(moments, "%Y-%m")
    local_month = pc.strftime(pc.cast(moments, pa.timestamp("us", tz="Europe/London")), "%Y-%m")
    month = raw.month or _most_common(local_month)
    outside = pc.and_(pc.not_equal(utc_month, month), pc.not_equal(local_month, month))
    errors.add(outside, f"Date is outside the file's month {month}", pc.cast(moments, pa.string()))
    return month


def _most_common(values: pa.Array) -> str:
    counts = pc.value_counts(pc.drop_null(values))
    if len(counts) == 0:
        return ""
    best = int(np.argmax(counts.field("counts").to_numpy()))
    return str(counts.field("values")[best].as_py())


_STOP_AND_SEARCH = _stop_and_search
_CRIMES_OR_OUTCOMES = _crimes_or_outcomes
