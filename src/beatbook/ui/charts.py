"""Charts drawn on the server: a Vega-Lite spec to SVG with vl-convert, so that a page needs
no script to show one.

Each chart is drawn twice: as its spec says, for a wide screen, and narrow enough for a 390 px
phone to show it at full size. Shrinking the wide drawing to fit a phone shrank its 13 px text
to 6-7 px; the narrow one keeps every piece of text at its size and gives up width instead
(narrower plots, titles over several lines, facet columns stacked). CSS shows one of the two
(``.app-chart-wide`` and ``.app-chart-narrow`` in beatbook.css).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import textwrap
from typing import Any

import vl_convert
from django.core.cache import cache

CACHE_SECONDS = 24 * 60 * 60
# A 390 px phone shows 360 px between GOV.UK's margins; a little is kept spare.
NARROW_WIDTH = 340
# The smallest text any chart draws, in pixels at full size: axis labels, legends, headers,
# labels on marks. Titles are a little larger.
SMALLEST_TEXT = 13
TITLE_TEXT = 15
_MIN_PLOT = 60
_WIDTH = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)"')


def charts_warm() -> None:
    """Start vl-convert's renderer with a tiny chart, so that the first real one is not the
    one that pays for starting it (0.3 s)."""
    vl_convert.vegalite_to_svg(
        {"data": {"values": [{"n": 1}]}, "mark": "bar", "encoding": {"x": {"field": "n"}}}
    )


def hidden_chart_svg(spec: dict[str, Any]) -> str:
    """The chart as SVG markup, both drawings, hidden from screen readers: every page that
    shows one has a table beside it with the same numbers. Drawing takes tens of milliseconds,
    so each distinct chart is drawn once and kept for a day."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    key = f"chart-svg-pair:{digest}"
    markup = cache.get(key)
    if markup is None:
        wide = _hidden(chart_svg(spec))
        narrow = _hidden(chart_svg(spec, narrow=True))
        markup = (
            f'<div class="app-chart-wide">{wide}</div><div class="app-chart-narrow">{narrow}</div>'
        )
        cache.set(key, markup, CACHE_SECONDS)
    return str(markup)


def chart_svg(spec: dict[str, Any], *, narrow: bool = False) -> str:
    """One drawing of the chart: as the spec says (with legible text), or narrow for a phone."""
    legible = legible_spec(spec)
    if not narrow:
        return str(vl_convert.vegalite_to_svg(legible))
    return _narrow_svg(_phone_layout(legible))


def _hidden(svg: str) -> str:
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def svg_width(svg: str) -> float:
    match = _WIDTH.search(svg)
    return float(match.group(1)) if match else 0.0


def legible_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with no text smaller than SMALLEST_TEXT (Vega's defaults are 10 and 11 px)."""
    legible = copy.deepcopy(spec)
    config = legible.setdefault("config", {})
    for part, keys in (
        ("axis", ("labelFontSize", "titleFontSize")),
        ("legend", ("labelFontSize", "titleFontSize")),
        ("header", ("labelFontSize", "titleFontSize")),
        ("text", ("fontSize",)),
    ):
        section = config.setdefault(part, {})
        for name in keys:
            section[name] = max(float(section.get(name, 0)), SMALLEST_TEXT)
    title = config.setdefault("title", {})
    title["fontSize"] = max(float(title.get("fontSize", 0)), TITLE_TEXT)
    return legible


def _phone_layout(spec: dict[str, Any]) -> dict[str, Any]:
    """Titles wrapped to the phone's width and facet columns stacked into one column."""
    narrow = copy.deepcopy(spec)
    _wrap_titles(narrow)
    facet = narrow.get("facet")
    if isinstance(facet, dict) and "column" in facet:
        _stack_columns(narrow, facet)
    return narrow


def _wrap_titles(spec: dict[str, Any]) -> None:
    # Roughly how many characters of title text fit across the narrow drawing.
    characters = int(NARROW_WIDTH / (TITLE_TEXT * 0.55))
    title = spec.get("title")
    if isinstance(title, str):
        spec["title"] = textwrap.wrap(title, characters) or title
    elif isinstance(title, dict) and isinstance(title.get("text"), str):
        title["text"] = textwrap.wrap(title["text"], characters) or title["text"]


def _stack_columns(spec: dict[str, Any], facet: dict[str, Any]) -> None:
    """A row-and-column facet becomes one column of panels, each headed "row, column"."""
    column = facet["column"]
    row = facet.get("row")
    fields = [part["field"] for part in (row, column) if isinstance(part, dict)]
    expression = " + ', ' + ".join(f"datum[{json.dumps(name)}]" for name in fields)
    spec.setdefault("transform", []).append({"calculate": expression, "as": "panel"})
    spec["facet"] = {
        "field": "panel",
        "type": "nominal",
        "title": None,
        "sort": None,
        "header": {"labelAngle": 0, "labelAlign": "left", "labelAnchor": "start"},
    }
    spec["columns"] = 1


def _plot_widths(spec: Any, factor: float) -> Any:
    """The spec with every fixed plot width scaled by ``factor`` (never below _MIN_PLOT)."""
    if isinstance(spec, list):
        return [_plot_widths(item, factor) for item in spec]
    if not isinstance(spec, dict):
        return spec
    scaled = {key: _plot_widths(value, factor) for key, value in spec.items() if key != "config"}
    if "config" in spec:
        scaled["config"] = spec["config"]
    width = spec.get("width")
    if isinstance(width, int | float) and not isinstance(width, bool):
        scaled["width"] = max(_MIN_PLOT, round(width * factor))
    return scaled


def _narrow_svg(spec: dict[str, Any]) -> str:
    """Draw with plot widths cut until the drawing fits NARROW_WIDTH; if the text alone is
    wider, axis labels are cut short (ending "…") as a last resort.

    A drawing's width is its text and padding plus its plots' widths times the factor they are
    scaled by: two drawings tell both parts, and the third fits (each takes tens of ms).
    """
    svg = _draw(spec, 1.0)
    full = svg_width(svg)
    if full <= NARROW_WIDTH:
        return svg
    half = svg_width(_draw(spec, 0.5))
    plots = max(2 * (full - half), 1.0)
    factor = max(0.05, (NARROW_WIDTH - 5 - (full - plots)) / plots)
    svg = _draw(spec, factor)
    if svg_width(svg) <= NARROW_WIDTH:
        return svg
    shorter = _plot_widths(spec, factor)
    shorter["config"].setdefault("axis", {})["labelLimit"] = NARROW_WIDTH // 3
    return str(vl_convert.vegalite_to_svg(shorter))


def _draw(spec: dict[str, Any], factor: float) -> str:
    scaled = spec if factor == 1.0 else _plot_widths(spec, factor)
    return str(vl_convert.vegalite_to_svg(scaled))
