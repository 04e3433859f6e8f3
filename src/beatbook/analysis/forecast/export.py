"""Forecast cells written out so anyone can score them: CSV and GeoJSON.

Each row is one study-area cell: the British National Grid easting and northing of its
lower-left corner, its size in metres, its score and its rank (1 = highest). GeoJSON carries
the same properties on the cell's square, in WGS84 longitude/latitude as RFC 7946 requires.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import orjson
import pandas as pd

from beatbook.common.projection import to_wgs84

CELL_COLUMNS = ["easting", "northing", "size_m", "score", "rank"]


def cells_csv(cells: pd.DataFrame) -> str:
    return str(cells[CELL_COLUMNS].to_csv(index=False, float_format="%.6g"))


def cells_geojson(cells: pd.DataFrame, properties: Mapping[str, object] | None = None) -> bytes:
    """A FeatureCollection of the cells' squares; ``properties`` describe the whole forecast."""
    x = cells["easting"].to_numpy(np.float64)
    y = cells["northing"].to_numpy(np.float64)
    size = cells["size_m"].to_numpy(np.float64)
    corners_x = np.stack([x, x + size, x + size, x, x], axis=1)
    corners_y = np.stack([y, y, y + size, y + size, y], axis=1)
    lng, lat = to_wgs84().transform(corners_x, corners_y)
    lng, lat = np.round(lng, 6), np.round(lat, 6)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [np.column_stack([lng[i], lat[i]]).tolist()],
            },
            "properties": {
                "easting": int(x[i]),
                "northing": int(y[i]),
                "size_m": int(size[i]),
                "score": float(cells["score"].iat[i]),
                "rank": int(cells["rank"].iat[i]),
            },
        }
        for i in range(len(cells))
    ]
    collection = {
        "type": "FeatureCollection",
        "properties": dict(properties or {}),
        "features": features,
    }
    return orjson.dumps(collection)
