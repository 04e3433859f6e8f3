"""The back-test chart: mean PEI* per method with its 95% interval, drawn to SVG on the server
(Altair builds the Vega-Lite spec, vl-convert renders it; no script in the page)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from beatbook.analysis.forecast.methods import BASELINES
from beatbook.ui.charts import chart_svg, hidden_chart_svg


def backtest_chart_svg(
    summary: pd.DataFrame, *, coverages: tuple[float, ...] = (0.01, 0.05)
) -> str:
    """The chart for a page: drawn for a wide screen and for a phone (``hidden_chart_svg``)."""
    return hidden_chart_svg(backtest_chart_spec(summary, coverages=coverages))


def backtest_chart_file(
    summary: pd.DataFrame, *, coverages: tuple[float, ...] = (0.01, 0.05)
) -> str:
    """The chart as one SVG document, for a file."""
    return chart_svg(backtest_chart_spec(summary, coverages=coverages))


def backtest_chart_spec(
    summary: pd.DataFrame, *, coverages: tuple[float, ...] = (0.01, 0.05)
) -> dict[str, object]:
    """PEI* by method, one panel per category and coverage; baselines grey, learned blue."""
    data = summary[summary["coverage"].isin(coverages)].copy()
    if data.empty:
        raise ValueError("There are no back-test results at those coverages to chart.")
    data["coverage_label"] = (data["coverage"] * 100).map(lambda c: f"top {c:g}% of cells")
    data["kind"] = data["method"].map(lambda m: "baseline" if m in BASELINES else "learned")
    columns = ["method", "category", "coverage_label", "kind", "pei_star", "ci_low", "ci_high"]
    data = data[columns]
    base = alt.Chart(data).encode(
        y=alt.Y("method:N", title=None, sort=None),
    )
    bars = base.mark_bar().encode(
        x=alt.X(
            "pei_star:Q", title="PEI* (share of the most possible)", scale=alt.Scale(domain=[0, 1])
        ),
        color=alt.Color(
            "kind:N",
            scale=alt.Scale(domain=["baseline", "learned"], range=["#b1b4b6", "#1d70b8"]),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
    )
    errors = base.mark_rule(color="#0b0c0c").encode(x="ci_low:Q", x2="ci_high:Q")
    chart = (
        alt.layer(bars, errors, data=data)
        .properties(width=220, height=24 * data["method"].nunique())
        .facet(
            row=alt.Row("category:N", title=None), column=alt.Column("coverage_label:N", title=None)
        )
        .configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_header(labelFontSize=13)
    )
    return chart.to_dict()  # type: ignore[no-any-return]
