"""The transformers between WGS84 longitude/latitude (EPSG:4326) and British National Grid
metres (EPSG:27700): the one home for them (ADR 17), each built once and shared.

Both take and give (x, y) order, longitude before latitude (``always_xy=True``), as police.uk's
CSVs, GeoJSON and shapely do.

**One shared transformer, not one per thread.** Before pyproj 3.1 a Transformer could not be
used by two threads at once, and the ingest kept one per thread. Since 3.1 ("Multithread safe
CRS, Proj, & Transformer", pyproj issue 782) a Transformer holds its PROJ object in a
``threading.local`` and makes a fresh one the first time each thread uses it; pyproj 3.7 also
gives each thread its own PROJ context. This project requires pyproj 3.6 or later, so one
Transformer per direction is safe for the server's threads and the ingest's worker threads
alike, and building it once saves the few milliseconds each ``from_crs`` costs. (Two threads
asking first at the same moment may each build one; ``cache`` keeps one, and both work.)

pyproj is imported when a transformer is first wanted, not when this module is: it costs a
few tenths of a second that commands which never project should not pay.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from pyproj import Transformer

WGS84 = "EPSG:4326"
BRITISH_NATIONAL_GRID = "EPSG:27700"


@cache
def to_british_grid() -> Transformer:
    """WGS84 (longitude, latitude) degrees to British National Grid (easting, northing)."""
    from pyproj import Transformer

    return Transformer.from_crs(WGS84, BRITISH_NATIONAL_GRID, always_xy=True)


@cache
def to_wgs84() -> Transformer:
    """British National Grid (easting, northing) metres to WGS84 (longitude, latitude)."""
    from pyproj import Transformer

    return Transformer.from_crs(BRITISH_NATIONAL_GRID, WGS84, always_xy=True)


def bng_to_wgs84(
    *, easting: npt.ArrayLike, northing: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(latitude, longitude) arrays, rounded to 6 decimal places (about 10 cm), as the
    gazetteer and postcodes store them."""
    lng, lat = to_wgs84().transform(
        np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)
    )
    return np.round(lat, 6), np.round(lng, 6)
