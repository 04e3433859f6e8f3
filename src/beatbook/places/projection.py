"""British National Grid (EPSG:27700) to WGS84 latitude/longitude, vectorised."""

from __future__ import annotations

from functools import cache

import numpy as np
import pyproj


@cache
def _to_wgs84() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def bng_to_wgs84(*, easting: np.ndarray, northing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(latitude, longitude) arrays, rounded to 6 decimal places (about 10 cm)."""
    lng, lat = _to_wgs84().transform(
        np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)
    )
    return np.round(lat, 6), np.round(lng, 6)
