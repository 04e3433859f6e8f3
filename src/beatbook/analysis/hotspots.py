"""Hotspot maps: crimes (counted or harm-weighted) on a grid, scored by kernel density or Gi*,
with the places the top cells fall in, ready to export as GeoJSON or CSV.

Input is the crime DataFrame of ``insights.selectors.crime_points`` (or of
``analysis.policeuk_files``): ``easting``/``northing`` in metres, plus ``street_name``,
``lsoa_code``, ``lsoa_name`` and ``neighbourhood_name`` to name the places. Rows without
coordinates are counted as left out; rows outside the study area's grid (``bounds``) are left
out too, since police.uk files carry a few crimes recorded far from the force. What the study
area is, with boundaries and without, is decided in ``beatbook.analysis.study_area``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import orjson
import pandas as pd

from beatbook.analysis.getis_ord import gi_star
from beatbook.analysis.grid import FloatArray, Grid
from beatbook.analysis.kde import check_kernel, kernel_density
from beatbook.analysis.study_area import Bounds, crime_box
from beatbook.common.projection import to_wgs84

Method = Literal["kde", "gistar"]
METHODS: tuple[Method, ...] = ("kde", "gistar")
MIN_HOTSPOT_CELL = 150.0
MAX_HOTSPOT_CELL = 500.0
MaskFunction = Callable[[Grid], npt.NDArray[np.bool_]]


@dataclass(frozen=True)
class HotspotOptions:
    method: Method = "kde"
    cell_size: float = 250.0
    bandwidth: float | None = None
    kernel: str = "quartic"
    distance_band: float | None = None
    false_discovery_rate: float = 0.05
    top: int = 20

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"The method must be 'kde' or 'gistar', not {self.method!r}.")
        if not MIN_HOTSPOT_CELL <= self.cell_size <= MAX_HOTSPOT_CELL:
            raise ValueError(
                f"The cell size must be between {MIN_HOTSPOT_CELL:g} and {MAX_HOTSPOT_CELL:g} "
                f"metres, not {self.cell_size:g}."
            )
        check_kernel(self.kernel, self.kde_bandwidth)
        if self.top < 1:
            raise ValueError(f"The number of top places must be at least 1, not {self.top}.")

    @property
    def kde_bandwidth(self) -> float:
        """The bandwidth given, or twice the cell size (a quartic reach of two cells)."""
        return self.bandwidth if self.bandwidth is not None else 2.0 * self.cell_size

    def describe(self) -> str:
        if self.method == "kde":
            return (
                f"Kernel density ({self.kernel} kernel, bandwidth {self.kde_bandwidth:g} m) "
                f"on {self.cell_size:g} m cells"
            )
        band = (
            "queen neighbours"
            if self.distance_band is None
            else f"neighbours within {self.distance_band:g} m"
        )
        return (
            f"Getis-Ord Gi* ({band}; Benjamini-Hochberg false discovery rate "
            f"{self.false_discovery_rate:g}) on {self.cell_size:g} m cells"
        )


@dataclass(frozen=True)
class HotspotMap:
    """Per-cell results in flat cell order, and the top places."""

    grid: Grid
    options: HotspotOptions
    weighted: bool
    in_area: npt.NDArray[np.bool_]
    crimes: FloatArray
    values: FloatArray
    score: FloatArray
    z: FloatArray | None
    p_adjusted: FloatArray | None
    hot: npt.NDArray[np.bool_]
    top_places: pd.DataFrame
    crimes_used: int
    crimes_without_location: int
    crimes_outside_area: int
    places: pd.DataFrame = field(repr=False)

    @property
    def score_label(self) -> str:
        if self.options.method == "gistar":
            return "Gi* z-score"
        return "Harm per km²" if self.weighted else "Crimes per km²"

    def cells_of_interest(self) -> npt.NDArray[np.int64]:
        """Cells worth drawing or exporting: with crime, hot, or above 5% of the peak density."""
        keep = self.in_area & ((self.crimes > 0) | self.hot)
        if self.options.method == "kde" and self.score.max(initial=0.0) > 0:
            keep |= self.in_area & (self.score >= 0.05 * self.score.max())
        return np.flatnonzero(keep)


def hotspot_map(
    crimes: pd.DataFrame,
    *,
    options: HotspotOptions,
    weights: npt.ArrayLike | None = None,
    bounds: Bounds | None = None,
    mask: MaskFunction | None = None,
) -> HotspotMap:
    """Score every cell of the study area and name the top places.

    ``weights`` (one per crime) makes the map harm-weighted; ``bounds`` (BNG metres) is the study
    area's box, and ``mask`` says which cells of the grid lie inside the area itself
    (``study_area``: ``area_bounds`` and ``area_mask``). Without ``bounds`` the study area is
    every cell of ``study_area.crime_box``.
    """
    xs = crimes["easting"].to_numpy(dtype=np.float64, na_value=np.nan)
    ys = crimes["northing"].to_numpy(dtype=np.float64, na_value=np.nan)
    ws = None if weights is None else np.asarray(weights, dtype=np.float64)
    located = np.isfinite(xs) & np.isfinite(ys)
    box = bounds if bounds is not None else crime_box(xs[located], ys[located])
    grid = _study_grid(box, options.cell_size)
    cell = grid.cell_index(xs, ys)
    used = cell >= 0
    in_area = np.ones(grid.n_cells, dtype=bool) if mask is None else mask(grid)
    counts = grid.counts(xs[used], ys[used])
    values = counts if ws is None else grid.counts(xs[used], ys[used], ws[used])
    z, p_adjusted, hot, score = _score(grid, xs[used], ys[used], values, in_area, options, ws, used)
    places = _cell_places(crimes.loc[used], cell[used])
    top = _top_places(
        grid, score, counts, values, in_area, hot, places, options, weighted=ws is not None
    )
    return HotspotMap(
        grid=grid,
        options=options,
        weighted=ws is not None,
        in_area=in_area,
        crimes=counts,
        values=values,
        score=score,
        z=z,
        p_adjusted=p_adjusted,
        hot=hot,
        top_places=top,
        crimes_used=int(used.sum()),
        crimes_without_location=int((~located).sum()),
        crimes_outside_area=int((located & ~used).sum()),
        places=places,
    )


def _score(
    grid: Grid,
    xs: FloatArray,
    ys: FloatArray,
    values: FloatArray,
    in_area: npt.NDArray[np.bool_],
    options: HotspotOptions,
    ws: FloatArray | None,
    used: npt.NDArray[np.bool_],
) -> tuple[FloatArray | None, FloatArray | None, npt.NDArray[np.bool_], FloatArray]:
    if options.method == "gistar":
        result = gi_star(
            grid,
            values,
            distance_band=options.distance_band,
            mask=in_area,
            false_discovery_rate=options.false_discovery_rate,
        )
        return result.z, result.p_adjusted, result.hot, np.nan_to_num(result.z, nan=-np.inf)
    density = kernel_density(
        grid,
        xs,
        ys,
        bandwidth=options.kde_bandwidth,
        kernel=options.kernel,
        weights=None if ws is None else ws[used],
    )
    density = np.where(in_area, density, 0.0)
    return None, None, np.zeros(grid.n_cells, dtype=bool), density


def _study_grid(bounds: Bounds, cell_size: float) -> Grid:
    min_x, min_y, max_x, max_y = bounds
    if not all(math.isfinite(v) for v in bounds) or min_x > max_x or min_y > max_y:
        raise ValueError(f"The study area's bounds are not a box: {bounds}.")
    return Grid.from_bounds(bounds, cell_size)


def _most_common(frame: pd.DataFrame, column: str) -> pd.Series[Any]:
    """Per cell, the most frequent non-empty value of ``column`` (ties: alphabetical first)."""
    named = frame[frame[column].astype(str) != ""]
    if named.empty:
        return pd.Series(dtype=object)
    tally = named.groupby(["cell", column], sort=True).size().reset_index(name="n")
    tally = tally.sort_values(["cell", "n", column], ascending=[True, False, True], kind="stable")
    return tally.drop_duplicates("cell").set_index("cell")[column]


def _cell_places(crimes: pd.DataFrame, cells: npt.NDArray[np.int64]) -> pd.DataFrame:
    frame = pd.DataFrame({"cell": cells})
    for column in ("street_name", "lsoa_code", "lsoa_name", "neighbourhood_name", "category"):
        values = crimes[column] if column in crimes else pd.Series([""] * len(crimes))
        frame[column] = values.fillna("").astype(str).to_numpy()
    places = pd.DataFrame(index=pd.Index(np.unique(cells), name="cell"))
    for column in ("street_name", "lsoa_code", "lsoa_name", "neighbourhood_name", "category"):
        places[column] = _most_common(frame, column)
    return places.fillna("")


def _top_places(
    grid: Grid,
    score: FloatArray,
    counts: FloatArray,
    values: FloatArray,
    in_area: npt.NDArray[np.bool_],
    hot: npt.NDArray[np.bool_],
    places: pd.DataFrame,
    options: HotspotOptions,
    *,
    weighted: bool,
) -> pd.DataFrame:
    candidates = np.flatnonzero(in_area & (counts > 0))
    order = candidates[_ranking(candidates, score, values, hot, options)][: options.top]
    xs, ys = grid.origins()
    lat, lng = _to_wgs84(xs[order] + grid.cell_size / 2, ys[order] + grid.cell_size / 2)
    named = places.reindex(order).fillna("")
    return pd.DataFrame(
        {
            "rank": np.arange(1, order.size + 1),
            "cell": order,
            "easting": xs[order],
            "northing": ys[order],
            "latitude": np.round(lat, 6),
            "longitude": np.round(lng, 6),
            "crimes": counts[order].astype(np.int64),
            "harm": values[order] if weighted else np.full(order.size, np.nan),
            "score": score[order],
            "street_name": named["street_name"].to_numpy(),
            "lsoa_code": named["lsoa_code"].to_numpy(),
            "lsoa_name": named["lsoa_name"].to_numpy(),
            "neighbourhood_name": named["neighbourhood_name"].to_numpy(),
            "top_category": named["category"].to_numpy(),
        }
    )


def _ranking(
    cells: npt.NDArray[np.int64],
    score: FloatArray,
    values: FloatArray,
    hot: npt.NDArray[np.bool_],
    options: HotspotOptions,
) -> npt.NDArray[np.int64]:
    """Order of ``cells``, best first.

    Kernel density: by density, then the cell's own crimes (or harm). Gi*: significant hot cells
    first, by their own crimes (or harm), then the rest by z. Gi* scores a cell's neighbourhood,
    so the cell beside a busy one can have the higher z; within a cluster the place to send
    a patrol is the cell with the most crime itself.
    """
    if options.method == "gistar":
        return np.lexsort((-score[cells], -values[cells], ~hot[cells]))
    return np.lexsort((-values[cells], -score[cells]))


def _to_wgs84(xs: FloatArray, ys: FloatArray) -> tuple[FloatArray, FloatArray]:
    lng, lat = to_wgs84().transform(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    return np.asarray(lat, dtype=np.float64), np.asarray(lng, dtype=np.float64)


def cell_rows(result: HotspotMap) -> list[dict[str, Any]]:
    """One record per cell of interest, best first: what the CSV and GeoJSON carry."""
    cells = result.cells_of_interest()
    cells = cells[_ranking(cells, result.score, result.values, result.hot, result.options)]
    xs, ys = result.grid.origins()
    places = result.places.reindex(cells).fillna("")
    rows: list[dict[str, Any]] = []
    for rank, (cell, street, lsoa, neighbourhood) in enumerate(
        zip(
            cells.tolist(),
            places["street_name"],
            places["lsoa_code"],
            places["neighbourhood_name"],
            strict=True,
        ),
        start=1,
    ):
        rows.append(
            {
                "rank": rank,
                "cell": cell,
                "easting": float(xs[cell]),
                "northing": float(ys[cell]),
                "cell_size_m": result.grid.cell_size,
                "crimes": int(result.crimes[cell]),
                "harm": float(result.values[cell]) if result.weighted else None,
                "score": _finite(result.score[cell]),
                "p_adjusted": None
                if result.p_adjusted is None
                else _finite(result.p_adjusted[cell]),
                "hotspot": bool(result.hot[cell]),
                "street_name": street,
                "lsoa_code": lsoa,
                "neighbourhood_name": neighbourhood,
            }
        )
    return rows


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def to_csv(result: HotspotMap) -> str:
    rows = cell_rows(result)
    out = io.StringIO()
    columns = list(rows[0]) if rows else ["rank", "cell", "easting", "northing", "cell_size_m"]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def to_geojson(result: HotspotMap, *, metadata: dict[str, Any] | None = None) -> bytes:
    """The cells of interest as WGS84 square polygons with their results as properties."""
    rows = cell_rows(result)
    size = result.grid.cell_size
    xs = np.array([row["easting"] for row in rows], dtype=np.float64)
    ys = np.array([row["northing"] for row in rows], dtype=np.float64)
    corners_x = np.stack([xs, xs + size, xs + size, xs, xs], axis=1)
    corners_y = np.stack([ys, ys, ys + size, ys + size, ys], axis=1)
    lat, lng = _to_wgs84(corners_x.reshape(-1), corners_y.reshape(-1))
    lat, lng = np.round(lat, 6).reshape(-1, 5), np.round(lng, 6).reshape(-1, 5)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [np.column_stack([lng[i], lat[i]]).tolist()],
            },
            "properties": row,
        }
        for i, row in enumerate(rows)
    ]
    document = {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "method": result.options.describe(),
            "score": result.score_label,
            **(metadata or {}),
        },
    }
    return orjson.dumps(document)
