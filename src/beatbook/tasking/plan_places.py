"""What each cell is worth to a patrol plan, and why: the places a plan may send officers to.

**Value.** The harm a shift's patrol in a 250 m cell is expected to prevent: the forecast of
expected harm in the cell for a month (all crime, weighed by the Cambridge Crime Harm Index,
in CCHI days, the measure the forecast page shows with "harm"), divided by the shifts in that
month (days in the month × the force's shifts a day). The forecast is the one analysis makes
(``insights.forecast_services.forecast_make``); for the month after the last one held, the one
the forecast page shows and keeps (``insights.stored_results``), so that making a plan reuses
it rather than fitting it again. Kernel density and prospective hotspotting score cells on a
scale of their own; their scores are scaled so the total is the force's mean monthly harm
over the last three months held.

**Month.** The shift's own month when the data reaches the month before it; otherwise the
month after the last one held (police.uk publishes a month or two late), which ``value_source``
says.

**Reasons.** For each cell kept, from the last six months held before the forecast month: the
categories of the last three months with their counts, the trend (the last three months
against the three before), and the latest crimes with their street names; read through
``insights.selectors.crime_points``.
"""

from __future__ import annotations

import calendar
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import shapely
from django.core.exceptions import ValidationError
from shapely.geometry import shape as geojson_shape

from beatbook.analysis.forecast.matrix import ALL_CRIME
from beatbook.common.months import add_months
from beatbook.common.projection import bng_to_wgs84, to_british_grid
from beatbook.insights.forecast_services import forecast_make
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.selectors import crime_points, months_held
from beatbook.insights.stored_results import result_make, result_read, result_spec
from beatbook.places.models import Force, Neighbourhood
from beatbook.places.selectors import neighbourhood_of_point
from beatbook.tasking.patrol_cells import CELL_SIZE_M

HARM: Literal["cchi"] = "cchi"
# Methods whose scores are not expected counts (or harm), so are scaled to the recent total.
RELATIVE_METHODS = frozenset({"kde", "prospective"})
REASON_MONTHS = 3
RECENT_CRIMES = 5
# A change of less than this share between the two three-month spans is called steady.
STEADY_SHARE = 0.15


@dataclass
class CellWorth:
    """A cell and its worth: ``monthly`` expected harm (CCHI days) and ``value`` per shift."""

    key: str
    easting: int
    northing: int
    monthly: float
    value: float
    latitude: float = 0.0
    longitude: float = 0.0
    neighbourhood_id: int | None = None
    reasons: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Worths:
    """Every cell the forecast covers, most valuable first, and where the values came from."""

    month: str
    method: str
    source: str
    cells: list[CellWorth]
    # The crimes of the six months before ``month``, read once for the values and the reasons.
    crimes: pd.DataFrame


def cell_key(easting: float, northing: float) -> str:
    return f"E{int(easting)}N{int(northing)}"


def forecast_month_for(*, force: Force, month: str) -> str:
    """The month whose forecast values a shift in ``month``: that month, or the month after the
    last one held when the data does not reach the month before it."""
    held = months_held(force_ids=[force.pk])
    if not held:
        raise ValidationError(
            f"No crime data is loaded for {force.name}, so there is no forecast to plan from."
        )
    return min(month, add_months(held[-1], 1))


def _forecast_frame(force: Force, month: str) -> tuple[pd.DataFrame, str, bool]:
    """Every study cell's expected harm for ``month`` (``easting``, ``northing``, ``score``),
    the method, and whether it is the forecast the forecast page keeps."""
    latest = add_months(months_held(force_ids=[force.pk])[-1], 1)
    if month == latest:
        spec = result_spec("forecast", {"force": force.pk, "category": ALL_CRIME, "harm": HARM})
        outcome = result_read(spec) or result_make(spec)
        if outcome is not None and outcome.error:
            raise ValidationError(outcome.error)
        if outcome is not None and outcome.payload is not None:
            frame = pd.read_csv(io.StringIO(outcome.payload["csv"]))
            return frame, str(outcome.payload["method"]), True
        # Another process is making it right now: make our own rather than wait.
    try:
        forecast = forecast_make(force_id=force.pk, month=month, harm=HARM)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    return forecast.frame(), forecast.method, False


def _monthly_harm(crimes: pd.DataFrame, months: list[str]) -> float:
    """The force's mean harm a month over ``months``, in CCHI days."""
    weights = harm_weights().table(HARM)
    recent = crimes[crimes["month"].isin(months)]
    total = float(recent["category"].map(weights).fillna(0.0).sum())
    return total / max(len(months), 1)


def cell_worths(*, force: Force, month: str, shifts_per_day: int) -> Worths:
    """Every cell's value for one shift of ``month`` (see the module's docstring)."""
    forecast_month = forecast_month_for(force=force, month=month)
    frame, method, kept = _forecast_frame(force, forecast_month)
    last = add_months(forecast_month, -1)
    reason_months = [add_months(last, -i) for i in range(2 * REASON_MONTHS - 1, -1, -1)]
    crimes = crime_points(force_ids=[force.pk], month_from=reason_months[0], month_to=last)
    scores = frame["score"].to_numpy(np.float64).clip(min=0.0)
    scaled = ""
    if method in RELATIVE_METHODS and scores.sum() > 0:
        target = _monthly_harm(crimes, reason_months[-REASON_MONTHS:])
        scores = scores * (target / scores.sum())
        scaled = ", scaled to the last three months' harm"
    year, number = (int(part) for part in forecast_month.split("-"))
    shifts = calendar.monthrange(year, number)[1] * max(shifts_per_day, 1)
    cells = [
        CellWorth(
            key=cell_key(e, n), easting=int(e), northing=int(n), monthly=float(s), value=s / shifts
        )
        for e, n, s in zip(frame["easting"], frame["northing"], scores, strict=True)
    ]
    cells.sort(key=lambda c: (-c.value, c.key))
    stored = "the forecast page's" if kept else "a"
    source = (
        f"{stored} {forecast_month} forecast of harm (CCHI days, method {method}{scaled}) "
        f"÷ {shifts} shifts in the month"
    )
    return Worths(
        month=forecast_month, method=method, source=source[:200], cells=cells, crimes=crimes
    )


def neighbourhood_shape(neighbourhood: Neighbourhood) -> shapely.Geometry | None:
    """The neighbourhood's outline on the British National Grid: its own boundary, or its
    LSOAs'; None when neither is held."""
    if neighbourhood.boundary:
        outlines = [geojson_shape(neighbourhood.boundary)]
    else:
        lsoas = neighbourhood.lsoas.all()
        outlines = [geojson_shape(lsoa.boundary) for lsoa in lsoas if lsoa.boundary]
    if not outlines:
        return None
    project = to_british_grid().transform

    def to_grid(coords: np.ndarray) -> np.ndarray:
        xs, ys = project(coords[:, 0], coords[:, 1])
        return np.column_stack([xs, ys])

    return shapely.transform(shapely.union_all(outlines), to_grid)


def cells_within(cells: list[CellWorth], outline: shapely.Geometry) -> list[CellWorth]:
    """The cells whose centres lie inside ``outline`` (British National Grid)."""
    shapely.prepare(outline)
    half = CELL_SIZE_M / 2
    return [
        c for c in cells if outline.contains(shapely.Point(c.easting + half, c.northing + half))
    ]


# Cells are coded column x _ROW_SPAN + row: British grid rows of 250 m are fewer than this.
_ROW_SPAN = 10_000_000


def _trend(recent: int, before: int) -> str:
    if recent == before or (before and abs(recent - before) / before < STEADY_SHARE):
        return "steady"
    return "rising" if recent > before else "falling"


_NO_CRIMES = pd.DataFrame(
    {"month": [], "category": [], "street_name": [], "neighbourhood_id": []}, dtype=object
)


def _crimes_by_cell(crimes: pd.DataFrame, cells: list[CellWorth]) -> dict[str, pd.DataFrame]:
    """The crimes in each of ``cells``, newest month first (then by category), as plain
    columns. A force's year is some 100,000 crimes and the plan wants 200 cells: the cells are
    found with array arithmetic, and only their crimes are made into frames."""
    located = crimes.dropna(subset=["easting", "northing"])
    columns = np.floor(located["easting"].to_numpy(dtype=float) / CELL_SIZE_M).astype(np.int64)
    rows = np.floor(located["northing"].to_numpy(dtype=float) / CELL_SIZE_M).astype(np.int64)
    codes = columns * _ROW_SPAN + rows
    wanted = {
        (c.easting // CELL_SIZE_M) * _ROW_SPAN + c.northing // CELL_SIZE_M: c.key for c in cells
    }
    mask = np.isin(codes, np.fromiter(wanted, dtype=np.int64, count=len(wanted)))
    held = located[mask]
    found = pd.DataFrame(
        {
            "cell": [wanted[int(code)] for code in codes[mask]],
            "month": held["month"].astype(object).to_numpy(),
            "category": held["category"].astype(object).to_numpy(),
            "street_name": held["street_name"].astype(object).to_numpy(),
            "neighbourhood_id": held["neighbourhood_id"].astype(object).to_numpy(),
        }
    ).sort_values(["cell", "month", "category"], ascending=[True, False, True], kind="stable")
    return {str(key): group for key, group in found.groupby("cell", sort=False)}


def reasons_add(worths: Worths, cells: list[CellWorth]) -> None:
    """Fill in each cell's position, neighbourhood and reasons (categories, harm, trend and
    recent crimes) from the crimes read when the values were made."""
    by_cell = _crimes_by_cell(worths.crimes, cells)
    last = add_months(worths.month, -1)
    recent_months = [add_months(last, -i) for i in range(REASON_MONTHS)]
    before_months = [add_months(last, -i) for i in range(REASON_MONTHS, 2 * REASON_MONTHS)]
    half = CELL_SIZE_M / 2
    lat, lng = bng_to_wgs84(
        easting=[c.easting + half for c in cells], northing=[c.northing + half for c in cells]
    )
    for i, cell in enumerate(cells):
        cell.latitude, cell.longitude = float(lat[i]), float(lng[i])
        rows = by_cell.get(cell.key, _NO_CRIMES)
        recent = rows[rows["month"].isin(recent_months)]
        before = rows[rows["month"].isin(before_months)]
        counts = Counter(recent["category"])
        latest = rows.head(RECENT_CRIMES)  # sorted newest first by ``_crimes_by_cell``
        neighbourhoods = Counter(int(n) for n in rows["neighbourhood_id"].dropna())
        if neighbourhoods:
            cell.neighbourhood_id = neighbourhoods.most_common(1)[0][0]
        cell.reasons = {
            "forecast_month": worths.month,
            "harm_month": round(cell.monthly, 3),
            "harm_shift": round(cell.value, 4),
            "categories": [
                {"category": category, "count": n}
                for category, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "trend": {
                "recent": len(recent),
                "before": len(before),
                "recent_months": f"{recent_months[-1]} to {recent_months[0]}",
                "before_months": f"{before_months[-1]} to {before_months[0]}",
                "direction": _trend(len(recent), len(before)),
            },
            "recent_crimes": [
                {"month": m, "category": c, "street": s}
                for m, c, s in zip(
                    latest["month"], latest["category"], latest["street_name"], strict=True
                )
            ],
            "requests": [],
        }
    for cell in cells:
        if cell.neighbourhood_id is None:
            found = neighbourhood_of_point(latitude=cell.latitude, longitude=cell.longitude)
            cell.neighbourhood_id = None if found is None else found.pk
