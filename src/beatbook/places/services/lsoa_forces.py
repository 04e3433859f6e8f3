"""Which police force each LSOA falls within, from the ONS LSOA (2011) to police force lookup."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from beatbook.core.bulk_write import upsert_rows
from beatbook.places.models import Force, Lsoa
from beatbook.places.services.common import (
    ImportResult,
    Loaded,
    PlacesImportError,
    column_index,
    csv_rows,
    run_import,
)
from beatbook.records.models import SourceKind

_REQUIRED = ("LSOA Code", "LSOA Name", "Police_force")
_DETAILS = {
    "msoa_code": "MSOA Code",
    "msoa_name": "MSOA Name",
    "local_authority_code": "Local authority code",
    "local_authority_name": "Local authority name",
}
# Words that differ between "Metropolitan Police", "Metropolitan Police Service" and the like.
_NOISE = re.compile(r"\b(police|constabulary|service|force)\b")


def lsoa_forces_import(*, path: Path) -> ImportResult:
    """Set ``Lsoa.force`` from the lookup; LSOAs it names that are not yet known are created.

    Rows with an empty force (the lookup leaves Wales and parts of some forces out) change
    nothing. An unknown force name fails the whole file, listing the names.
    """
    return run_import(kind=SourceKind.LSOA_FORCES, paths=[path], load=lambda: {path: _load(path)})


def force_key(name: str) -> str:
    """A spelling-insensitive key: "Devon & Cornwall Police" and "devon-and-cornwall" agree."""
    text = name.lower().replace("&", " and ").replace("-", " ")
    text = _NOISE.sub(" ", text)
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text).split())


def force_ids_by_key() -> dict[str, str]:
    keys: dict[str, str] = {}
    for force_id, name, aliases in Force.objects.values_list("id", "name", "aliases"):
        for spelling in (force_id, name, *(aliases or [])):
            keys.setdefault(force_key(spelling), force_id)
    return keys


def _load(path: Path) -> Loaded:
    header, lines = csv_rows(path)
    missing = [name for name in _REQUIRED if name not in header]
    if missing:
        raise PlacesImportError(
            f"{path}: not an LSOA to police force lookup: no column "
            f"{', '.join(missing)} in the header"
        )
    at = {
        name: column_index(header, name, path=path)
        for name in (*_REQUIRED, *_DETAILS.values())
        if name in header
    }
    keys = force_ids_by_key()
    unknown: dict[str, list[int]] = defaultdict(list)
    rows: list[tuple[str, str, str, dict[str, str]]] = []
    read = 0
    seen: set[str] = set()
    for line, cells in lines:
        read += 1
        if len(cells) < len(header):
            raise PlacesImportError(
                f"{path}, line {line}: {len(cells)} columns where the header has {len(header)}"
            )
        force_name = cells[at["Police_force"]].strip()
        if not force_name:
            continue
        code = cells[at["LSOA Code"]].strip()
        if not (len(code) == 9 and code[0] in "EW" and code[1:].isdigit()):
            raise PlacesImportError(f"{path}, line {line}: {code!r} is not an LSOA code")
        if code in seen:
            raise PlacesImportError(f"{path}, line {line}: LSOA {code} appears twice")
        seen.add(code)
        force_id = keys.get(force_key(force_name))
        if force_id is None:
            unknown[force_name].append(line)
            continue
        details = {
            field: cells[at[column]].strip() for field, column in _DETAILS.items() if column in at
        }
        rows.append((code, cells[at["LSOA Name"]].strip(), force_id, details))
    if unknown:
        listed = "; ".join(
            f"{name!r} (line {lines_[0]})" for name, lines_ in sorted(unknown.items())
        )
        raise PlacesImportError(f"{path}: unknown police force names: {listed}")
    _save(rows)
    forces = len({row[2] for row in rows})
    return Loaded(
        rows_read=read, rows_loaded=len(rows), message=f"{len(rows)} LSOAs in {forces} forces"
    )


def _save(rows: list[tuple[str, str, str, dict[str, str]]]) -> None:
    existing = {
        code: (year, name)
        for code, year, name in Lsoa.objects.values_list("code", "census_year", "name")
    }
    values = []
    for code, name, force_id, details in rows:
        year, known_name = existing.get(code, (2011, ""))
        detail_values = [_fit(field, details.get(field, "")) for field in _DETAILS]
        values.append((code, (known_name or name)[:120], year, force_id, *detail_values))
    upsert_rows(
        model=Lsoa,
        fields=["code", "name", "census_year", "force", *_DETAILS],
        update=["force", "name", *[field for field in _DETAILS if rows and field in rows[0][3]]],
        rows=values,
    )


def _fit(field: str, value: str) -> str:
    return value[:9] if field.endswith("_code") else value[:120]
