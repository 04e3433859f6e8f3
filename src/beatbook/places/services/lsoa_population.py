"""LSOA populations: the 2011 census table, the 2021 TS001 table, and the 2021 LSOA list (names).

The format is told by the header. Rows for LSOAs not yet known are created (without a
boundary); known ones keep their census year and boundary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from beatbook.core.bulk_write import upsert_rows
from beatbook.places.models import Lsoa
from beatbook.places.services.common import (
    ImportResult,
    Loaded,
    PlacesImportError,
    column_index,
    csv_rows,
    parse_count,
    parse_float,
    run_import,
)
from beatbook.records.models import SourceKind


class PopulationFormat(Enum):
    CENSUS_2011 = "the 2011 census population table"
    CENSUS_2021 = "the 2021 census TS001 table"
    LIST_2021 = "the 2021 LSOA list (codes and names)"

    @property
    def census(self) -> int:
        return 2011 if self is PopulationFormat.CENSUS_2011 else 2021


@dataclass
class _Row:
    code: str
    name: str
    population: int | None = None
    msoa_code: str = ""
    msoa_name: str = ""
    local_authority_code: str = ""
    local_authority_name: str = ""
    area_hectares: float | None = None
    households: int | None = None


_Reader = Callable[[int, list[str]], _Row]


def lsoa_population_import(
    *, path: Path, census: int | None = None, names_only: bool = False
) -> ImportResult:
    """Load populations (and names, MSOAs, local authorities where the table has them).

    ``census`` checks the file is the table expected; ``names_only`` takes only the names from a
    2021 table (the LSOA list is always names only).
    """
    return run_import(
        kind=SourceKind.LSOA_POPULATION,
        paths=[path],
        load=lambda: {path: _load(path, census, names_only)},
    )


def detect_format(header: list[str], *, path: Path) -> PopulationFormat:
    columns = set(header)
    if {"LSOA Code", "LSOA Name", "Persons", "MSOA Code"} <= columns:
        return PopulationFormat.CENSUS_2011
    if {"LSOA21CD", "Population"} <= columns:
        return PopulationFormat.CENSUS_2021
    if {"LSOA21CD", "LSOA21NM"} <= columns:
        return PopulationFormat.LIST_2021
    raise PlacesImportError(
        f"{path}: the header ({', '.join(header[:6])}...) is not an LSOA population table: "
        "expected "
        "the 2011 census table (LSOA Code, Persons, ...), the 2021 TS001 table (LSOA21CD, "
        "Population) or the 2021 LSOA list (LSOA21CD, LSOA21NM)"
    )


def _load(path: Path, census: int | None, names_only: bool) -> Loaded:
    header, lines = csv_rows(path)
    kind = detect_format(header, path=path)
    if census is not None and census != kind.census:
        raise PlacesImportError(f"{path}: this is {kind.value}, not a {census} table")
    names_only = names_only or kind is PopulationFormat.LIST_2021
    rows = list(_read(path, header, lines, kind))
    _save(
        rows,
        census=kind.census,
        names_only=names_only,
        has_details=kind is PopulationFormat.CENSUS_2011,
    )
    what = "names" if names_only else "populations"
    return Loaded(
        rows_read=len(rows), rows_loaded=len(rows), message=f"{len(rows)} {kind.census} LSOA {what}"
    )


def _read(
    path: Path, header: list[str], lines: Iterator[tuple[int, list[str]]], kind: PopulationFormat
) -> Iterator[_Row]:
    if kind is PopulationFormat.CENSUS_2011:
        reader = _reader_2011(path, header)
    elif kind is PopulationFormat.CENSUS_2021:
        reader = _reader_2021(path, header)
    else:
        reader = _reader_list(path, header)
    seen: set[str] = set()
    previous = 1
    for line, cells in lines:
        # ONS tables end with a note after a blank line ("In order to protect against...").
        if line > previous + 1 and not any(_is_code(cell.strip()) for cell in cells):
            break
        previous = line
        if len(cells) < len(header):
            raise PlacesImportError(
                f"{path}, line {line}: {len(cells)} columns where the header has {len(header)}"
            )
        row = reader(line, cells)
        _check_code(path, line, row.code)
        if row.code in seen:
            raise PlacesImportError(f"{path}, line {line}: LSOA {row.code} appears twice")
        seen.add(row.code)
        yield row


def _reader_2011(path: Path, header: list[str]) -> _Reader:
    # The first "Persons" column is all usual residents; the next two split it by household
    # and communal residence.
    at = {
        name: column_index(header, name, path=path)
        for name in (
            "LSOA Code",
            "LSOA Name",
            "Persons",
            "MSOA Code",
            "MSOA Name",
            "Local authority code",
            "Local authority name",
            "Hectares",
        )
    }

    # Households (the door-to-door estimate per postcode, operations.door_lists) is read where
    # the table has it; an older copy without the column still loads.
    households_at = header.index("Households") if "Households" in header else None

    def read(line: int, cells: list[str]) -> _Row:
        return _Row(
            code=cells[at["LSOA Code"]].strip(),
            name=cells[at["LSOA Name"]].strip()[:120],
            population=parse_count(cells[at["Persons"]], path=path, line=line, column="Persons"),
            msoa_code=cells[at["MSOA Code"]].strip()[:9],
            msoa_name=cells[at["MSOA Name"]].strip()[:120],
            local_authority_code=cells[at["Local authority code"]].strip()[:9],
            local_authority_name=cells[at["Local authority name"]].strip()[:120],
            area_hectares=parse_float(
                cells[at["Hectares"]], path=path, line=line, column="Hectares"
            ),
            households=(
                parse_count(cells[households_at], path=path, line=line, column="Households")
                if households_at is not None
                else None
            ),
        )

    return read


def _reader_2021(path: Path, header: list[str]) -> _Reader:
    code_at = column_index(header, "LSOA21CD", path=path)
    population_at = column_index(header, "Population", path=path)
    name_at = next(
        (i for i, name in enumerate(header) if name in {"LSOA21NM"} or "lower layer" in name), None
    )

    def read(line: int, cells: list[str]) -> _Row:
        return _Row(
            code=cells[code_at].strip(),
            name=cells[name_at].strip()[:120] if name_at is not None else "",
            population=parse_count(cells[population_at], path=path, line=line, column="Population"),
        )

    return read


def _reader_list(path: Path, header: list[str]) -> _Reader:
    code_at = column_index(header, "LSOA21CD", path=path)
    name_at = column_index(header, "LSOA21NM", path=path)

    def read(line: int, cells: list[str]) -> _Row:
        return _Row(code=cells[code_at].strip(), name=cells[name_at].strip()[:120])

    return read


def _is_code(code: str) -> bool:
    return len(code) == 9 and code[0] in "EW" and code[1:].isdigit()


def _check_code(path: Path, line: int, code: str) -> None:
    if not _is_code(code):
        raise PlacesImportError(f"{path}, line {line}: {code!r} is not an LSOA code")


_FIELDS = [
    "code",
    "name",
    "census_year",
    "msoa_code",
    "msoa_name",
    "local_authority_code",
    "local_authority_name",
    "area_hectares",
]
_DETAILS = _FIELDS[3:]


def _save(rows: list[_Row], *, census: int, names_only: bool, has_details: bool) -> None:
    existing = {
        code: (year, name)
        for code, year, name in Lsoa.objects.values_list("code", "census_year", "name")
    }
    fields = list(_FIELDS)
    update = ["name", *(_DETAILS if has_details else [])]
    if not names_only:
        fields.append(f"population_{census}")
        update.append(f"population_{census}")
    with_households = has_details and not names_only
    if with_households:
        fields.append("households_2011")
        update.append("households_2011")
    values = [_values(row, existing.get(row.code), census, names_only) for row in rows]
    if with_households:
        values = [(*value, row.households) for value, row in zip(values, rows, strict=True)]
    upsert_rows(model=Lsoa, fields=fields, update=update, rows=values)


def _values(
    row: _Row, existing: tuple[int, str] | None, census: int, names_only: bool
) -> tuple[object, ...]:
    census_year, name = existing or (census, row.name)
    # A row from the other census keeps its own name: "Aylesbury Vale 001A" is the 2011 name
    # of what 2021 calls "Buckinghamshire 001A".
    if census_year == census or not name:
        name = row.name
    values: tuple[object, ...] = (
        row.code,
        name,
        census_year,
        row.msoa_code,
        row.msoa_name,
        row.local_authority_code,
        row.local_authority_name,
        row.area_hectares,
    )
    return values if names_only else (*values, row.population)
