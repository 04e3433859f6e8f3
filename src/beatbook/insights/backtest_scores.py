"""Back-test scores month by month (``insights.models.BacktestScore``): what each month's
forecast depends on, the scores still valid for it, and computing the missing ones.

A month's forecast is made from the ``BacktestSettings.history_months`` (36) months before it
only, on the study area of that month (``ForceCrimes.counts`` with ``area_before`` the month),
so its scores are the same whichever back-test asks for them and whatever months come later.
They are kept with a digest of their inputs (``month_inputs``, ``BacktestSettings.month_digest``):
the street files of those months, the LSOA data, the harm table, the seed and the scoring
version; a reload of any of them names another digest and the month is scored again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from django.db.models import Max

from beatbook.analysis.backtest import RESULT_COLUMNS, Progress, run_backtest
from beatbook.analysis.backtest_settings import BacktestSettings
from beatbook.insights.forecast_data import ForceCrimes
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.models import BacktestScore
from beatbook.insights.study_area_cache import area_keys
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

SCORE_COLUMNS = ["coverage", "cells", "captured", "total", "best", "hit_rate", "pai", "pei_star"]


def month_inputs(*, force_id: str, settings: BacktestSettings) -> dict[str, str]:
    """Per month of ``settings``, a digest of everything its scores depend on."""
    sources = dict(
        SourceFile.objects.filter(
            kind=SourceKind.STREET, status=SourceStatus.LOADED, force_id=force_id
        )
        .values("month")
        .annotate(newest=Max("id"))
        .values_list("month", "newest")
    )
    area = area_keys([force_id]).get(force_id, "crimes")
    weights = harm_weights().version if settings.harm else ""
    return {
        month: settings.month_digest(month, sources=sources, area=area, harm_version=weights)
        for month in settings.months
    }


def scores_stored(
    *, force_id: str, category: str, settings: BacktestSettings, inputs: dict[str, str]
) -> pd.DataFrame:
    """The kept per-month results (``run_backtest``'s columns) of ``category`` and the
    settings' methods still valid for ``inputs``."""
    measure = settings.measure
    rows = BacktestScore.objects.filter(
        force_id=force_id,
        category=category,
        measure=measure,
        cell_size=int(settings.cell_size),
        month__in=list(inputs),
        method__in=list(settings.methods),
    ).values_list("month", "method", "inputs", "scores", "seconds")
    records = [
        {"measure": measure, "category": category, "method": method, "month": month}
        | score
        | {"seconds": seconds}
        for month, method, digest, scores, seconds in rows
        if inputs.get(month) == digest
        for score in scores
    ]
    frame = pd.DataFrame.from_records(records, columns=RESULT_COLUMNS)
    return frame.astype({c: float for c in SCORE_COLUMNS if c != "cells"})


def months_missing(
    stored: pd.DataFrame, months: Sequence[str], methods: Sequence[str]
) -> list[str]:
    """The months some of ``methods`` have no valid kept scores for."""
    have = stored.groupby("month")["method"].agg(set) if not stored.empty else {}
    return [m for m in months if not set(methods) <= have.get(m, set())]


def scores_save(
    *, force_id: str, settings: BacktestSettings, inputs: dict[str, str], results: pd.DataFrame
) -> None:
    """Keep the per-month results (of any categories and methods) under their digests."""
    if results.empty:
        return
    # NaN (no crime to capture) kept as null, which PostgreSQL's jsonb accepts; every other
    # number as Python writes it, which reads back to the same float to the last bit.
    records = results.to_dict("records")
    grouped: dict[tuple[str, str, str, str], list[dict[str, object]]] = {}
    seconds: dict[tuple[str, str, str, str], float] = {}
    for record in records:
        key = (record["measure"], record["category"], record["month"], record["method"])
        grouped.setdefault(key, []).append({c: _number(record[c]) for c in SCORE_COLUMNS})
        seconds[key] = float(record["seconds"] or 0.0)
    BacktestScore.objects.bulk_create(
        [
            BacktestScore(
                force_id=force_id,
                category=category,
                measure=measure,
                cell_size=int(settings.cell_size),
                month=month,
                method=method,
                inputs=inputs[month],
                scores=scores,
                seconds=seconds[(measure, category, month, method)],
            )
            for (measure, category, month, method), scores in grouped.items()
        ],
        update_conflicts=True,
        unique_fields=["force", "category", "measure", "cell_size", "month", "method"],
        update_fields=["inputs", "scores", "seconds", "made_at"],
    )


def _number(value: object) -> float | int | None:
    if isinstance(value, int | np.integer):
        return int(value)
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def scores_compute(
    loaded: ForceCrimes, settings: BacktestSettings, *, progress: Progress | None = None
) -> pd.DataFrame:
    """Per-month results of the settings (every month scorable, all within what ``loaded``
    holds with their history), each month from its own history and study area."""
    months = settings.months
    if not months:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    # With LSOAs every month has the same area: count once, each fit kept to its own history.
    groups = [list(months)] if loaded.lsoa_area is not None else [[m] for m in months]
    frames = []
    for group in groups:
        data = loaded.counts(
            month_from=settings.first_history_month(group[0]) or loaded.month_from,
            month_to=group[-1],
            categories=settings.categories,
            area_before=group[0],
        )
        frames.append(
            run_backtest(
                series={c: data.series[c] for c in settings.categories},
                settings=settings.replace(months=tuple(group)),
                auxiliary=data.auxiliary,
                progress=progress,
            )
        )
    return _ordered(pd.concat(frames, ignore_index=True), settings.methods)


def _ordered(results: pd.DataFrame, methods: Sequence[str]) -> pd.DataFrame:
    """Category, month, then method in the order asked for: the same rows in the same order
    whether they were kept or made now."""
    if results.empty:
        return results.reset_index(drop=True)
    rank = {m: i for i, m in enumerate(methods)}
    order = results.assign(_rank=results["method"].map(rank)).sort_values(
        ["category", "month", "_rank", "coverage"], kind="stable"
    )
    return order.drop(columns="_rank").reset_index(drop=True)


def scores_combine(
    frames: Sequence[pd.DataFrame], methods: Sequence[str], categories: Sequence[str]
) -> pd.DataFrame:
    """Kept and new per-month results as one frame, categories in the order asked for."""
    present = [f for f in frames if not f.empty]
    if not present:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    results = _ordered(pd.concat(present, ignore_index=True), methods)
    order = {c: i for i, c in enumerate(dict.fromkeys(categories))}
    results = results.assign(_c=results["category"].map(order)).sort_values("_c", kind="stable")
    return results.drop(columns="_c").reset_index(drop=True)
