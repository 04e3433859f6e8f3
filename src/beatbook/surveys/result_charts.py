"""The results pages' charts, drawn to SVG on the server (Altair, Vega-Lite) and hidden from
screen readers: each sits beside a table of the same numbers."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from beatbook.surveys.result_tables import AnswerRow, CrimeMonth
from beatbook.ui.charts import hidden_chart_svg

BLUE = "#1d70b8"
BLACK = "#0b0c0c"
GREY = "#505a5f"


def _configured(chart: alt.TopLevelMixin) -> str:
    configured = chart.configure_axis(
        labelFontSize=13, titleFontSize=13, labelColor=BLACK, labelLimit=260
    ).configure_view(stroke=None)
    return hidden_chart_svg(configured.to_dict())


def answers_chart_svg(answers: Sequence[AnswerRow], *, title: str) -> str:
    """Each answer's share as a bar with its interval as a line; suppressed ones are left out
    (the table says why)."""
    rows = [
        {"answer": a.label, "share": a.estimate, "low": a.ci_low, "high": a.ci_high}
        for a in answers
        if not a.suppressed and a.estimate is not None
    ]
    if not rows:
        return ""
    data = pd.DataFrame(rows)
    y = alt.Y("answer:N", title=None, sort=list(data["answer"]))
    scale = alt.Scale(domain=[0, 1])
    bars = (
        alt.Chart(data)
        .mark_bar(color=BLUE)
        .encode(
            y=y,
            x=alt.X("share:Q", title="Share who answered", axis=alt.Axis(format="%"), scale=scale),
        )
    )
    whiskers = (
        alt.Chart(data)
        .mark_rule(color=BLACK, strokeWidth=2)
        .encode(y=y, x=alt.X("low:Q", scale=scale), x2="high:Q")
    )
    height = max(60, 28 * len(rows))
    return _configured(alt.layer(bars, whiskers).properties(width=420, height=height, title=title))


def crime_trend_svg(months: Sequence[CrimeMonth]) -> str:
    """Crimes each month as bars; the months the wave was open in a darker blue."""
    rows = [
        {
            "month": m.label,
            "crimes": m.crimes,
            "when": "While the survey was open" if m.during else "Other months",
        }
        for m in months
        if m.crimes is not None
    ]
    if not rows:
        return ""
    data = pd.DataFrame(rows)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "month:O",
                title="Month",
                sort=[m.label for m in months],
                axis=alt.Axis(labelAngle=-45),
            ),
            y=alt.Y("crimes:Q", title="Crimes and ASB"),
            color=alt.Color(
                "when:N",
                title=None,
                scale=alt.Scale(
                    domain=["While the survey was open", "Other months"], range=["#003078", GREY]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width=480, height=200)
    )
    return _configured(chart)
