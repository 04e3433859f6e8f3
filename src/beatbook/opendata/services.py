"""Open data services: the police.uk ingest and re-assigning crimes to neighbourhoods."""

from __future__ import annotations

from beatbook.opendata.ingest.neighbourhoods import crimes_assign_neighbourhoods
from beatbook.opendata.ingest.results import (
    FileResult,
    IngestError,
    IngestInputError,
    IngestProgress,
    IngestSummary,
)
from beatbook.opendata.ingest.service import ingest_paths

__all__ = [
    "FileResult",
    "IngestError",
    "IngestInputError",
    "IngestProgress",
    "IngestSummary",
    "crimes_assign_neighbourhoods",
    "ingest_paths",
]
