"""A measure's progress as a chart: its quarters at an annual rate, the straight line from the
baseline to the target they are judged against, and the target. Drawn to SVG on the server
(Altair, Vega-Lite) and hidden from screen readers: the page has a table of the same numbers."""

from __future__ import annotations

import altair as alt
import pandas as pd

from beatbook.partnerships.strategy_progress import MeasureProgress
from beatbook.ui.charts import hidden_chart_svg

BLUE = "#1d70b8"
BLACK = "#0b0c0c"
GREY = "#505a5f"


def measure_chart_svg(progress: MeasureProgress) -> str:
    """Quarters with a value as a line with points (gaps where there is not enough data); the
    expected level as a dashed line."""
    rows = [
        {
            "quarter": q.key.replace("-", " "),
            "order": number,
            "value": q.value,
            "expected": round(q.expected, 2),
        }
        for number, q in enumerate(progress.quarters)
    ]
    data = pd.DataFrame(rows)
    if data.empty:
        return ""
    axis = alt.X("quarter:O", title="Quarter", sort=list(data["quarter"]))
    expected = (
        alt.Chart(data)
        .mark_line(color=GREY, strokeDash=[6, 4], strokeWidth=2)
        .encode(x=axis, y=alt.Y("expected:Q", title=progress.label, scale=alt.Scale(zero=True)))
    )
    layers: list[alt.Chart] = [expected]
    found = data.dropna(subset=["value"])
    if not found.empty:
        layers.append(
            alt.Chart(found)
            .mark_line(point=alt.OverlayMarkDef(color=BLUE, size=60), color=BLUE, strokeWidth=3)
            .encode(x=axis, y="value:Q")
        )
    chart = (
        alt.layer(*layers)
        .properties(width=560, height=240)
        .configure_axis(labelFontSize=13, titleFontSize=13, labelColor=BLACK, labelAngle=0)
        .configure_view(stroke=None)
    )
    return hidden_chart_svg(chart.to_dict())
