"""Charts drawn on the server: a Vega-Lite spec to SVG with vl-convert, so that a page needs
no script to show one."""

from __future__ import annotations

import hashlib
import json

import vl_convert
from django.core.cache import cache

CACHE_SECONDS = 24 * 60 * 60


def hidden_chart_svg(spec: dict[str, object]) -> str:
    """The chart as SVG markup, hidden from screen readers: every page that shows one has a
    table beside it with the same numbers. Drawing takes tens of milliseconds, so each distinct
    chart is drawn once and kept for a day."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    key = f"chart-svg:{digest}"
    svg = cache.get(key)
    if svg is None:
        drawn = str(vl_convert.vegalite_to_svg(spec))
        svg = drawn.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
        cache.set(key, svg, CACHE_SECONDS)
    return str(svg)
