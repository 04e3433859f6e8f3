"""The Guarantee page's chart: a Vega-Lite spec built with Altair, drawn to SVG on the server.

The SVG is cached under a hash of its spec, so the same numbers are drawn once however many
people look; new numbers make a new spec and so a new drawing.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from beatbook.ui.charts import hidden_chart_svg
from beatbook.workspace.guarantee import AreaMeasures

MEASURE_LABELS = (
    "Named, contactable officer",
    "Priorities updated in 3 months",
    "Answered within 72 hours",
)
# GOV.UK colours: blue, green and dark grey are told apart by more than hue, with the labels.
MEASURE_COLOURS = ("#1d70b8", "#00703c", "#505a5f")


def _rows(areas: list[AreaMeasures]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for area in areas:
        shares = (
            area.share_with_contactable_officer,
            area.share_with_current_priorities,
            area.questions.share_within_72_hours,
        )
        for label, share in zip(MEASURE_LABELS, shares, strict=True):
            if share is not None:
                rows.append({"area": area.name, "measure": label, "percent": round(share * 100, 1)})
    return rows


def guarantee_chart_spec(areas: list[AreaMeasures]) -> dict[str, object]:
    data = pd.DataFrame(_rows(areas), columns=["area", "measure", "percent"])
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("percent:Q", title="Per cent", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("measure:N", title=None, sort=list(MEASURE_LABELS)),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(domain=list(MEASURE_LABELS), range=list(MEASURE_COLOURS)),
                legend=None,
            ),
        )
    )
    labels = bars.mark_text(align="left", dx=4, color="#0b0c0c").encode(
        text=alt.Text("percent:Q", format=".0f"), color=alt.value("#0b0c0c")
    )
    chart = (
        alt.layer(bars, labels, data=data)
        .properties(width=420, height=alt.Step(22))
        .facet(
            row=alt.Row(
                "area:N",
                title=None,
                header=alt.Header(
                    labelAngle=0,
                    labelAlign="left",
                    labelAnchor="start",
                    labelOrient="top",
                    labelFontSize=14,
                ),
            )
        )
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=13, titleFontSize=13)
    )
    return chart.to_dict()  # type: ignore[no-any-return]


def guarantee_chart_svg(areas: list[AreaMeasures]) -> str:
    """The chart as SVG markup, hidden from screen readers: the table beside it has the numbers."""
    if not areas:
        return ""
    return hidden_chart_svg(guarantee_chart_spec(areas))
