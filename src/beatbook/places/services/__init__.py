"""Places imports and builds: each one atomic, idempotent and recorded as a ``SourceFile``."""

from __future__ import annotations

from beatbook.places.services.common import ImportResult, PlacesImportError
from beatbook.places.services.lsoa_boundaries import lsoa_boundaries_import
from beatbook.places.services.lsoa_forces import lsoa_forces_import
from beatbook.places.services.lsoa_population import lsoa_population_import
from beatbook.places.services.neighbourhoods_build import neighbourhoods_build
from beatbook.places.services.neighbourhoods_import import neighbourhoods_import
from beatbook.places.services.postcodes import postcodes_import

__all__ = [
    "ImportResult",
    "PlacesImportError",
    "lsoa_boundaries_import",
    "lsoa_forces_import",
    "lsoa_population_import",
    "neighbourhoods_build",
    "neighbourhoods_import",
    "postcodes_import",
]
