"""The strategic assessment as a report: one HTML page that stands alone (no script, no
stylesheet or image fetched from anywhere, so it opens from a file, prints, and becomes the PDF),
and the same body inside the staff page.

Every number is formatted here, from the computed result, so the page, the PDF and the JSON
agree; nothing in it depends on the clock, so the same data gives the same bytes.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
from django.template.loader import render_to_string

from beatbook.analysis.assessment_tables import CELL_SIZE
from beatbook.analysis.harm import HARM_INDEXES
from beatbook.analysis.strategic_assessment import (
    AssessmentResult,
    CategoryFigures,
    assessment_summary,
)
from beatbook.common.months import month_name, short_month_name
from beatbook.common.projection import bng_to_wgs84
from beatbook.partnerships.assessment_data import AssessmentData
from beatbook.surveys.survey_voice import SurveyVoice

MAP_SIZE = 480  # pixels, the square the hotspot map is drawn in
SHADES = ("#f3f2f1", "#d2e2f1", "#9fc2e4", "#5694ca", "#1d70b8", "#003078")


def assessment_json(data: AssessmentData) -> str:
    """``summary.json``: sorted keys, two-space indent, ending in a new line."""
    summary = {
        **assessment_summary(data.result),
        "data_version": data.data_version,
        "harm_weights": data.harm_version,
        "population_census": data.population_census,
        "sources": [
            {"kind": s.kind, "file": s.name, "force": s.force, "month": s.month, "sha256": s.sha256}
            for s in data.sources
        ],
    }
    if data.survey_voice:
        summary["survey_voice"] = [_voice_json(voice) for voice in data.survey_voice]
    return json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _voice_json(voice: SurveyVoice) -> dict[str, Any]:
    return {
        "survey": voice.survey,
        "wave": voice.wave,
        "closed_on": voice.closed_on.isoformat(),
        "respondents": voice.respondents,
        "weighted": voice.weighted,
        "headlines": voice.headlines,
        "priorities": [
            {"rank": row.rank, "priority": row.label, "share": row.shown, "interval": row.interval}
            for row in voice.priorities
        ],
    }


def assessment_geojson(data: AssessmentData) -> str:
    """Every 250 m square with crime as a WGS84 polygon, ranked by CCHI harm (1 the most):
    what the staff page's map draws, in the shape of the hotspot map's download."""
    cells = data.result.cells
    size = CELL_SIZE
    xs = cells["x"].to_numpy(dtype=float)
    ys = cells["y"].to_numpy(dtype=float)
    corners = [bng_to_wgs84(easting=xs + dx, northing=ys + dy) for dx, dy in _corners(size)]
    features = []
    for index, row in enumerate(cells.itertuples()):
        ring = [[float(lng[index]), float(lat[index])] for lat, lng in corners]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                "properties": {
                    "rank": index + 1,
                    "street_name": row.street_name,
                    "lsoa_code": "",
                    "neighbourhood_name": "",
                    "crimes": int(row.crimes),
                    "harm": round(float(row.harm_cchi), 1),
                },
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, sort_keys=True, separators=(",", ":"))


def _corners(size: float) -> list[tuple[float, float]]:
    return [(0.0, 0.0), (size, 0.0), (size, size), (0.0, size)]


def assessment_context(data: AssessmentData) -> dict[str, Any]:
    result = data.result
    return {
        "data": data,
        "result": result,
        "title": f"Strategic assessment {result.year}: {result.area_label}",
        "months_missing": [month_name(m) for m in result.months_missing],
        "previous_missing": [month_name(m) for m in result.previous_months_missing],
        "months_span": _span(result.months),
        "compared": _compared(result),
        "population": _int(result.population),
        "categories": [_category_row(row) for row in result.categories],
        "area_rates": [
            {
                "label": row.label,
                "population": _int(row.population),
                "count": _int(row.count),
                "rate": _number(row.rate_per_1000),
                "this_area": row.this_area,
            }
            for row in result.area_rates
        ],
        "monthly": _monthly_rows(result.monthly),
        "seasonality": _seasonality_rows(result.seasonality),
        "repeats": _frame_rows(result.repeat_locations),
        "repeat_share": _percent(result.repeat_share),
        "hotspots": _hotspot_rows(result),
        "hotspot_map": hotspot_svg(result),
        "cell_size": int(CELL_SIZE),
        "lsoas": _frame_rows(result.lsoas),
        "stops_by_object": _frame_rows(result.stops_by_object),
        "stops_by_outcome": _frame_rows(result.stops_by_outcome),
        "outcomes": _frame_rows(result.outcomes),
        "priorities": result.priorities,
        "harm_indexes": list(HARM_INDEXES.values()),
    }


def assessment_html(data: AssessmentData) -> str:
    """The standalone page."""
    return render_to_string("partnerships/assessment_report.html", assessment_context(data))


def _span(months: list[str]) -> str:
    if not months:
        return "no month"
    return f"{month_name(months[0])} to {month_name(months[-1])}"


def _compared(result: AssessmentResult) -> str:
    if not result.previous_held:
        return (
            f"No month of {result.previous_year} is held, so no change on the previous year "
            "can be measured."
        )
    n = len(result.compared_months)
    if n == 12:
        return (
            f"Change is measured over all twelve months of {result.year} and "
            f"{result.previous_year}."
        )
    return (
        f"Change is measured only over the {n} month{'s' if n != 1 else ''} both years hold, "
        f"so that a missing month is never read as a month without crime."
    )


def _category_row(row: CategoryFigures) -> dict[str, Any]:
    return {
        "category": row.category,
        "label": row.label,
        "count": _int(row.count),
        "previous": "not held" if row.previous is None else _int(row.previous),
        "change": "–" if row.change is None else f"{row.change:+,}",
        "change_percent": "–" if row.change_percent is None else f"{row.change_percent:+.1f}%",
        "p_value": "–" if row.p_value is None else _p(row.p_value),
        "verdict": row.verdict,
        "rate": _number(row.rate_per_1000),
        "force_rate": _number(row.force_rate_per_1000),
        "rank": "–" if row.rank_among_areas is None else str(row.rank_among_areas),
        "harm_cchi": _int(round(row.harm_cchi)),
        "harm_css": _int(round(row.harm_css)),
    }


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _int(value: int | float | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "not held"
    return f"{int(value):,}"


def _number(value: float | None, places: int = 1) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:,.{places}f}"


def _percent(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value * 100:.1f}%"


def _monthly_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [
        {
            "month": short_month_name(row.month),
            "crimes": "not held" if pd.isna(row.crimes) else _int(row.crimes),
            "previous_month": short_month_name(row.previous_month),
            "previous": "not held" if pd.isna(row.previous) else _int(row.previous),
        }
        for row in frame.itertuples()
    ]


def _seasonality_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return [
        {
            "month": names[int(calendar) - 1],
            "mean": _number(float(row["mean_crimes"])),
            "index": _number(float(row["index"]), 2),
            "years": str(int(row["months"])),
        }
        for calendar, row in frame.iterrows()
    ]


def _frame_rows(frame: pd.DataFrame | None) -> list[dict[str, str]] | None:
    if frame is None:
        return None
    rows = []
    for record in frame.to_dict("records"):
        rows.append({key: _cell(key, value) for key, value in record.items()})
    return rows


def _cell(key: str, value: Any) -> str:
    if key == "share":
        return _percent(float(value))
    if key == "harm_cchi":
        return _int(round(float(value)))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _int(value)
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _hotspot_rows(result: AssessmentResult) -> list[dict[str, str]]:
    rows = _frame_rows(result.hotspots) or []
    for rank, row in enumerate(rows, start=1):
        row["rank"] = str(rank)
    return rows


def hotspot_svg(result: AssessmentResult) -> str:
    """Every 250 m square with crime, shaded by its CCHI harm, the top ten numbered: a static
    map (no tiles fetched) that prints and goes into the PDF."""
    cells = result.cells
    if cells.empty:
        return ""
    x0, y0 = int(cells["x"].min()), int(cells["y"].min())
    span = max(int(cells["x"].max()) - x0, int(cells["y"].max()) - y0) + CELL_SIZE
    scale = MAP_SIZE / span
    size = max(CELL_SIZE * scale, 1.0)
    top = float(cells["harm_cchi"].max()) or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_SIZE} {MAP_SIZE}" '
        f'width="{MAP_SIZE}" height="{MAP_SIZE}" role="img" aria-labelledby="hotspot-map-title">',
        f'<title id="hotspot-map-title">Map of the {len(cells):,} squares of {int(CELL_SIZE)} m '
        f"with crime in {result.area_label}, darker where harm is higher; the ten highest are "
        "numbered and listed in the table below.</title>",
        f'<rect width="{MAP_SIZE}" height="{MAP_SIZE}" fill="#ffffff"/>',
    ]
    for row in cells.itertuples():
        shade = SHADES[min(len(SHADES) - 1, int(math.sqrt(row.harm_cchi / top) * len(SHADES)))]
        x = (row.x - x0) * scale
        y = MAP_SIZE - (row.y - y0) * scale - size
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{size:.1f}" height="{size:.1f}" fill="{shade}"/>'
        )
    for rank, row in enumerate(result.hotspots.itertuples(), start=1):
        x = (row.x - x0) * scale + size / 2
        y = MAP_SIZE - (row.y - y0) * scale - size / 2
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="10" fill="#d4351c"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="12" text-anchor="middle" '
            f'fill="#ffffff" font-family="sans-serif">{rank}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
