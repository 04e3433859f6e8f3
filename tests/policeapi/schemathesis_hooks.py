"""Loaded by the schemathesis run (``SCHEMATHESIS_HOOKS``): how to make a ``polygon``.

The document's ``poly`` has the custom format ``polygon``, a ring whose edges do not cross:
a rule no pattern can state. These polygons are convex (vertices on a circle, in order), so
every one the fuzzer sends is one the API must answer. ``FUZZ_POLYGON_CENTRE`` (lat,lng) puts
them round a place with data.
"""

from __future__ import annotations

import math
import os

import schemathesis
from hypothesis import strategies as st

# The pinned run centres every polygon on the test world's data ("lat,lng").
CENTRE = os.environ.get("FUZZ_POLYGON_CENTRE", "")


@st.composite
def polygons(draw: st.DrawFn) -> str:
    if CENTRE:
        lat, lng = (float(part) for part in CENTRE.split(","))
    else:
        lat = draw(st.floats(50.0, 58.5))
        lng = draw(st.floats(-5.5, 1.5))
    radius = draw(st.floats(0.01, 0.2))
    # Whole multiples of 5 degrees: far enough apart that rounding to 6 decimals keeps every
    # vertex distinct and no three on one line.
    steps = draw(st.lists(st.integers(0, 71), min_size=3, max_size=30, unique=True))
    vertices = []
    for step in sorted(steps):
        angle = math.radians(5 * step)
        vertices.append(
            f"{lat + radius * math.sin(angle):.6f},{lng + radius * math.cos(angle):.6f}"
        )
    return ":".join(vertices)


schemathesis.openapi.format("polygon", polygons())
