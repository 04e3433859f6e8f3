"""The police.uk bulk CSV layouts (reference §7), crime type names (§6.1) and file names."""

from __future__ import annotations

import re

from beatbook.records.models import SourceKind

STREET_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
OUTCOMES_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Outcome type",
)
STOP_AND_SEARCH_COLUMNS = (
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    SourceKind.STREET: STREET_COLUMNS,
    SourceKind.OUTCOMES: OUTCOMES_COLUMNS,
    SourceKind.STOP_AND_SEARCH: STOP_AND_SEARCH_COLUMNS,
}
POLICE_UK_KINDS = tuple(COLUMNS)

# "2019-09-merseyside-street.csv", as inside police.uk's archive zips.
FILE_NAME = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*?)-"
    r"(?P<kind>street|outcomes|stop-and-search)\.csv$"
)

# A generous box around Great Britain, Northern Ireland, Scilly, Shetland and the Channel
# approaches: points outside it are not in the UK whatever the projection says.
UK_LAT = (49.0, 61.5)
UK_LNG = (-9.0, 2.5)

BOOLEAN_VALUES = {"True": True, "False": False, "": None}


def kind_from_name(name: str) -> str | None:
    for kind in POLICE_UK_KINDS:
        if name.endswith(f"-{kind}.csv"):
            return kind
    return None


def kind_from_header(header: tuple[str, ...]) -> str | None:
    for kind, columns in COLUMNS.items():
        if header == columns:
            return kind
    return None
