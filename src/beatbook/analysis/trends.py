"""Crime trends for an area: counts and rates by category and month, change on the same months a
year before with a test of whether it is more than chance, seasonality, and repeat locations.

Input is the crime DataFrame of ``insights.selectors.crime_points`` for the area. Months with no
published data (police.uk has gaps, such as Merseyside's 2019-07) are passed as ``months_held``
and are never read as months of no crime: a change is measured over the months both periods
hold, and a seasonal profile only over the months held.

The change test is the exact conditional test for two Poisson counts: given ``n1 + n0`` crimes
in the two periods, if the rate had not changed the number in the later period would be
binomial with probability ``t1 / (t1 + t0)`` (the periods' shares of months). Its two-sided
p-value comes from ``scipy.stats.binomtest`` and the rate ratio's 95% interval from the
Clopper-Pearson interval of that proportion (Breslow and Day 1987, s. 2.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from beatbook.common.months import add_months, calendar_month, month_range

ALL_CRIME = "all-crime"
SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class RateChange:
    """Crimes in a period against the same months a year before."""

    category: str
    current: int
    previous: int
    months: int
    rate_ratio: float
    ratio_low: float
    ratio_high: float
    p_value: float

    @property
    def change_percent(self) -> float:
        if self.previous == 0:
            return float("nan")
        return (self.current - self.previous) / self.previous * 100.0

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE

    def verdict(self) -> str:
        if self.current + self.previous == 0:
            return "No crimes in either period"
        if not self.significant:
            return "No more than chance"
        return "Rise more than chance" if self.current > self.previous else "Fall more than chance"


@dataclass(frozen=True)
class TrendReport:
    months: list[str]
    months_missing: list[str]
    population: int | None
    monthly: pd.DataFrame  # index month, columns categories + all-crime: counts
    totals: pd.DataFrame  # per category: crimes, per 1,000 residents, per 1,000 a year
    changes: list[RateChange]
    compared_months: list[str]
    seasonality: pd.DataFrame  # per calendar month: mean crimes, index (1 = average), months
    repeat_locations: pd.DataFrame
    repeat_share: float


def rate_change(
    category: str,
    current: int,
    previous: int,
    *,
    months: int = 12,
    months_before: int | None = None,
    interval: bool = True,
) -> RateChange:
    """The exact conditional test of ``current`` crimes in ``months`` against ``previous``.

    ``interval=False`` leaves the rate ratio's 95% interval out (NaN): working it out takes most
    of the time, and a caller testing hundreds of areas that shows only the ratio and the
    p-value does not need it."""
    before = months if months_before is None else months_before
    total = current + previous
    if total == 0 or months == 0 or before == 0:
        return RateChange(category, current, previous, months, np.nan, np.nan, np.nan, 1.0)
    share = months / (months + before)
    # Imported here: scipy.stats costs most of a second to import, which every page and command
    # that loads the trends views would otherwise pay at start-up.
    from scipy import stats

    test = stats.binomtest(current, total, share)
    exposure = before / months
    if not interval:
        ratio = _odds(current / total) * exposure
        return RateChange(
            category, current, previous, months, ratio, np.nan, np.nan, float(test.pvalue)
        )
    low, high = test.proportion_ci(confidence_level=0.95, method="exact")
    return RateChange(
        category=category,
        current=current,
        previous=previous,
        months=months,
        rate_ratio=_odds(current / total) * exposure,
        ratio_low=_odds(low) * exposure,
        ratio_high=_odds(high) * exposure,
        p_value=float(test.pvalue),
    )


def _odds(p: float) -> float:
    if p >= 1.0:
        return float("inf")
    return p / (1.0 - p)


def monthly_counts(crimes: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """Crimes per month (rows) and category (columns), with an all-crime column."""
    table = pd.crosstab(crimes["month"], crimes["category"]) if len(crimes) else pd.DataFrame()
    table = table.reindex(index=months, fill_value=0)
    table = table.reindex(columns=sorted(table.columns), fill_value=0).astype(np.int64)
    table[ALL_CRIME] = table.sum(axis=1)
    table.index.name = "month"
    return table


def trend_report(
    crimes: pd.DataFrame,
    *,
    month_from: str,
    month_to: str,
    population: int | None = None,
    months_held: list[str] | None = None,
    history: pd.DataFrame | None = None,
    top_locations: int = 15,
) -> TrendReport:
    """The trend report for ``month_from`` to ``month_to``.

    ``crimes`` should hold the period and the 12 months before it (for the change); ``history``
    (optional, defaults to ``crimes``) is what the seasonal profile is drawn from.
    """
    months = month_range(month_from, month_to)
    held = set(months_held) if months_held is not None else set(crimes["month"])
    period = crimes[crimes["month"].isin(months)]
    monthly = monthly_counts(period, months)
    missing = [month for month in months if month not in held]
    if missing:
        # A month police.uk did not publish is unknown, not a month without crime.
        monthly = monthly.astype(np.float64)
        monthly.loc[missing, :] = np.nan
    compared = [m for m in months if m in held and add_months(m, -12) in held]
    changes = _changes(crimes, compared)
    return TrendReport(
        months=months,
        months_missing=missing,
        population=population,
        monthly=monthly,
        totals=_totals(period, population, months_counted=len(months) - len(missing)),
        changes=changes,
        compared_months=compared,
        seasonality=seasonal_profile(history if history is not None else crimes, held),
        repeat_locations=repeat_locations(period, top=top_locations),
        repeat_share=repeat_share(period),
    )


def _changes(crimes: pd.DataFrame, compared: list[str]) -> list[RateChange]:
    before = [add_months(m, -12) for m in compared]
    now = crimes[crimes["month"].isin(compared)]["category"].value_counts()
    then = crimes[crimes["month"].isin(before)]["category"].value_counts()
    categories = sorted(set(now.index) | set(then.index))
    rows = [
        rate_change(c, int(now.get(c, 0)), int(then.get(c, 0)), months=len(compared))
        for c in categories
    ]
    total = rate_change(ALL_CRIME, int(now.sum()), int(then.sum()), months=len(compared))
    return [total, *sorted(rows, key=lambda r: -(r.current + r.previous))]


def _totals(period: pd.DataFrame, population: int | None, *, months_counted: int) -> pd.DataFrame:
    counts = period["category"].value_counts()
    counts[ALL_CRIME] = int(counts.sum())
    frame = pd.DataFrame({"crimes": counts.astype(np.int64)})
    if population:
        frame["per_1000"] = frame["crimes"] / population * 1000.0
        yearly = 12.0 / months_counted if months_counted else np.nan
        frame["per_1000_a_year"] = frame["per_1000"] * yearly
    else:
        frame["per_1000"] = np.nan
        frame["per_1000_a_year"] = np.nan
    frame.index.name = "category"
    return frame.sort_values("crimes", ascending=False)


def seasonal_profile(crimes: pd.DataFrame, months_held: set[str]) -> pd.DataFrame:
    """Mean crimes per calendar month over the months held, and its ratio to the overall mean.

    An index of 1.2 for July means July averages 20% more crime than the average month. Each
    calendar month's number of years (``months``) is shown: with one year, the profile is that
    year's pattern, not a seasonal one.
    """
    held = sorted(m for m in months_held if m)
    if not held:
        return pd.DataFrame(columns=["mean_crimes", "index", "months"])
    counts = crimes[crimes["month"].isin(held)]["month"].value_counts()
    per_month = pd.Series([int(counts.get(m, 0)) for m in held], index=held, dtype=np.float64)
    calendar = pd.Series([calendar_month(m) for m in held], index=held)
    grouped = per_month.groupby(calendar)
    frame = pd.DataFrame({"mean_crimes": grouped.mean(), "months": grouped.size()})
    overall = frame["mean_crimes"].mean()
    frame["index"] = frame["mean_crimes"] / overall if overall > 0 else np.nan
    frame.index.name = "calendar_month"
    return frame[["mean_crimes", "index", "months"]]


def _location_key(crimes: pd.DataFrame) -> pd.Series[Any]:
    """The snap point of each crime: its location id, else its coordinates."""
    ids = crimes["location_id"] if "location_id" in crimes else pd.Series(pd.NA, index=crimes.index)
    coordinates = (
        crimes["easting"].round(0).astype("string")
        + ","
        + crimes["northing"].round(0).astype("string")
    )
    key = ids.astype("string").where(ids.notna(), "at " + coordinates)
    located = crimes["easting"].notna() | ids.notna()
    return key.where(located, pd.NA)


def repeat_locations(crimes: pd.DataFrame, *, top: int = 15) -> pd.DataFrame:
    """Places with two or more crimes in the period, most first."""
    columns = ["street_name", "crimes", "months_with_crime", "top_category", "lsoa_code"]
    if crimes.empty:
        return pd.DataFrame(columns=columns)
    frame = crimes.assign(place=_location_key(crimes)).dropna(subset=["place"])
    grouped = frame.groupby("place")
    table = pd.DataFrame(
        {
            "street_name": grouped["street_name"].first(),
            "crimes": grouped.size(),
            "months_with_crime": grouped["month"].nunique(),
            "lsoa_code": grouped["lsoa_code"].first(),
        }
    )
    table = table[table["crimes"] >= 2]
    table = (
        table.sort_values(
            ["crimes", "months_with_crime", "street_name"], ascending=[False, False, True]
        )
        .head(top)
        .copy()
    )
    # The most common category of the places listed only: asked of every place of a force
    # (tens of thousands), it took most of the report's time.
    listed = frame[frame["place"].isin(table.index)].groupby("place")["category"]
    table["top_category"] = listed.agg(lambda s: s.value_counts().index[0])
    return table[columns]


def repeat_share(crimes: pd.DataFrame) -> float:
    """Share of located crimes that were at a place with another crime in the period."""
    keys = _location_key(crimes).dropna()
    if keys.empty:
        return float("nan")
    sizes = keys.map(keys.value_counts())
    return float((sizes >= 2).mean())
