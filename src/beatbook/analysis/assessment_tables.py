"""The place and count tables of a strategic assessment (``analysis.strategic_assessment``):
the 250 m squares and LSOAs with most harm, stop and search by what was looked for and by
outcome, and outcomes by category. Ties are broken by name or position, so the tables are the
same whatever order the rows come in."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from beatbook.analysis.harm import HarmWeights

CELL_SIZE = 250.0  # metres: the hotspot squares, as the tasking and hotspot pages use
TOP_PLACES = 10


def cells_table(crimes: pd.DataFrame, harm: HarmWeights) -> pd.DataFrame:
    columns = ["x", "y", "crimes", "harm_cchi", "top_category", "street_name"]
    located = crimes.dropna(subset=["easting", "northing"])
    if located.empty:
        return pd.DataFrame(columns=columns)
    frame = located.assign(
        x=(np.floor(located["easting"] / CELL_SIZE) * CELL_SIZE).astype(np.int64),
        y=(np.floor(located["northing"] / CELL_SIZE) * CELL_SIZE).astype(np.int64),
        harm_cchi=harm.weights_for(located["category"].to_numpy(), "cchi"),
    )
    grouped = frame.groupby(["x", "y"])
    table = pd.DataFrame(
        {"crimes": grouped.size(), "harm_cchi": grouped["harm_cchi"].sum()}
    ).reset_index()
    table = table.sort_values(
        ["harm_cchi", "crimes", "x", "y"], ascending=[False, False, True, True]
    )
    top = table.head(TOP_PLACES)
    chosen = frame.merge(top[["x", "y"]], on=["x", "y"])
    modes = chosen.groupby(["x", "y"]).agg(
        top_category=("category", _mode), street_name=("street_name", _mode)
    )
    table = table.merge(modes.reset_index(), on=["x", "y"], how="left").fillna(
        {"top_category": "", "street_name": ""}
    )
    return table[columns].reset_index(drop=True)


def _mode(values: pd.Series[Any]) -> str:
    """The most common value, the first in sort order among equals (deterministic)."""
    counts = values[values != ""].value_counts()
    if counts.empty:
        return ""
    most = counts.max()
    return str(sorted(counts[counts == most].index)[0])


def lsoa_table(crimes: pd.DataFrame, harm: HarmWeights) -> pd.DataFrame:
    columns = ["lsoa_code", "lsoa_name", "crimes", "harm_cchi"]
    placed = crimes[crimes["lsoa_code"] != ""]
    if placed.empty:
        return pd.DataFrame(columns=columns)
    frame = placed.assign(harm_cchi=harm.weights_for(placed["category"].to_numpy(), "cchi"))
    grouped = frame.groupby("lsoa_code")
    table = pd.DataFrame(
        {
            "lsoa_name": grouped["lsoa_name"].agg(_mode),
            "crimes": grouped.size(),
            "harm_cchi": grouped["harm_cchi"].sum(),
        }
    ).reset_index()
    table = table.sort_values(["harm_cchi", "crimes", "lsoa_code"], ascending=[False, False, True])
    return table[columns].head(TOP_PLACES).reset_index(drop=True)


def stops_tables(
    stops: pd.DataFrame | None,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, int | None]:
    if stops is None:
        return None, None, None
    filled = stops.assign(
        object_of_search=stops["object_of_search"].replace("", "Not recorded"),
        outcome=stops["outcome"].replace("", "Not recorded"),
    )
    return _counted(filled, "object_of_search"), _counted(filled, "outcome"), len(stops)


def _counted(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    counts = frame[column].value_counts()
    table = pd.DataFrame({column: counts.index, "count": counts.to_numpy(dtype=np.int64)})
    table["share"] = table["count"] / len(frame) if len(frame) else 0.0
    return table.sort_values(["count", column], ascending=[False, True]).reset_index(drop=True)


def outcomes_table(outcomes: pd.DataFrame | None) -> pd.DataFrame | None:
    if outcomes is None:
        return None
    if outcomes.empty:
        return pd.DataFrame(columns=["category", "outcome", "count"])
    grouped = outcomes.groupby(["category", "outcome"]).size().rename("count").reset_index()
    return grouped.sort_values(
        ["category", "count", "outcome"], ascending=[True, False, True]
    ).reset_index(drop=True)
