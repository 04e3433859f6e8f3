"""Trend charts: Vega-Lite specs built with Altair, drawn to SVG on the server and cached by
their spec, so the same numbers are drawn once. Each sits beside a table of the same numbers."""

from __future__ import annotations

import altair as alt
import pandas as pd

from beatbook.analysis.trends import ALL_CRIME
from beatbook.ui.charts import hidden_chart_svg

BLUE = "#1d70b8"
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def monthly_chart_svg(monthly: pd.DataFrame) -> str:
    """All crime per month as a line with points; months not published are left as gaps."""
    data = pd.DataFrame(
        {"month": list(monthly.index), "crimes": monthly[ALL_CRIME].astype(float).tolist()}
    ).dropna()
    if data.empty:
        return ""
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(color=BLUE, size=50), color=BLUE, strokeWidth=3)
        .encode(
            x=alt.X("month:O", title="Month", axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("crimes:Q", title="Crimes", scale=alt.Scale(zero=True)),
        )
        .properties(width=560, height=240)
        .configure_axis(labelFontSize=13, titleFontSize=13, labelColor="#0b0c0c")
        .configure_view(stroke=None)
    )
    return hidden_chart_svg(chart.to_dict())


def seasonality_chart_svg(profile: pd.DataFrame) -> str:
    """The seasonal index per calendar month as bars round a line at 1 (an average month)."""
    if profile.empty:
        return ""
    data = pd.DataFrame(
        {
            "month": [MONTH_NAMES[int(m) - 1] for m in profile.index],
            "index": profile["index"].astype(float).round(2).tolist(),
        }
    ).dropna()
    if data.empty:
        return ""
    bars = (
        alt.Chart(data)
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X("month:N", title="Calendar month", sort=MONTH_NAMES),
            y=alt.Y("index:Q", title="Index (1 = an average month)"),
        )
    )
    rule = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(color="#0b0c0c").encode(y="y:Q")
    chart = (
        alt.layer(bars, rule)
        .properties(width=560, height=220)
        .configure_axis(labelFontSize=13, titleFontSize=13, labelColor="#0b0c0c")
        .configure_view(stroke=None)
    )
    return hidden_chart_svg(chart.to_dict())
