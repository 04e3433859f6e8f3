"""The crime chart of a neighbourhood page: a Vega-Lite spec built with Altair, drawn to SVG
on the server with vl-convert, so the page needs no script to show it."""

from __future__ import annotations

from typing import Any

import altair as alt

from beatbook.common.months import short_month_name
from beatbook.residents.crime import CrimeSummary
from beatbook.ui.charts import chart_svg

# GOV.UK Design System colours: blue for the latest year, dark grey for the year before
# (both meet 3:1 contrast against white, as WCAG 2.2 asks of chart marks).
LATEST_COLOUR = "#1d70b8"
PREVIOUS_COLOUR = "#505a5f"
FONT = "Arial, Helvetica, sans-serif"


def period_names(summary: CrimeSummary) -> tuple[str, str | None]:
    latest = f"{short_month_name(summary.first_month)} to {short_month_name(summary.last_month)}"
    if summary.previous_months is None:
        return latest, None
    previous = summary.previous_months
    return latest, f"{short_month_name(previous[0])} to {short_month_name(previous[-1])}"


def _rows(summary: CrimeSummary) -> list[dict[str, Any]]:
    latest, previous = period_names(summary)
    rows: list[dict[str, Any]] = []
    for order, category in enumerate(summary.categories):
        rows.append({"category": category.name, "period": latest, "crimes": category.count})
        rows[-1]["order"] = order
        if previous is not None and category.previous is not None:
            rows.append(
                {"category": category.name, "period": previous, "crimes": category.previous}
            )
            rows[-1]["order"] = order
    return rows


def crime_chart_spec(summary: CrimeSummary, *, title: str) -> dict[str, Any]:
    """Horizontal bars of crimes by category, the year before beside each where held."""
    latest, previous = period_names(summary)
    periods = [latest] if previous is None else [latest, previous]
    colours = [LATEST_COLOUR] if previous is None else [LATEST_COLOUR, PREVIOUS_COLOUR]
    sort = [category.name for category in summary.categories]
    chart = (
        alt.Chart(alt.Data(values=_rows(summary)), title=title)  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            y=alt.Y("category:N", sort=sort, title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("crimes:Q", title="Crimes", axis=alt.Axis(tickMinStep=1)),
            yOffset=alt.YOffset("period:N", sort=periods),
            color=alt.Color(
                "period:N",
                sort=periods,
                scale=alt.Scale(domain=periods, range=colours),
                legend=alt.Legend(title=None, orient="top"),
            ),
        )
        .properties(width=420, height=alt.Step(14 if previous else 20))
        .configure(font=FONT)
        .configure_axis(labelFontSize=13, titleFontSize=13, labelColor="#0b0c0c")
        .configure_legend(labelFontSize=13)
        .configure_title(fontSize=16, anchor="start", color="#0b0c0c")
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def crime_chart_svg(summary: CrimeSummary, *, title: str, narrow: bool = False) -> str:
    """The chart as SVG text: for a wide screen, or ``narrow`` for a phone (its text at full
    size, see ``beatbook.ui.charts``)."""
    return chart_svg(crime_chart_spec(summary, title=title), narrow=narrow)
