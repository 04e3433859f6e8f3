"""A force with two years of synthetic crimes in the database, for the forecast tests.

"Testshire": one LSOA, a 2 km square, crimes drawn each month from fixed Poisson rates on 250 m
cells (a hot corner and a hot street), 2024-07 never published, plus a crime without a
location and (with the LSOA) one recorded far away in London every month.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.utils import timezone

from beatbook.common.months import month_range
from beatbook.common.projection import bng_to_wgs84
from beatbook.insights.backtest_store import backtest_state
from beatbook.opendata.models import Crime
from beatbook.places.models import Force, Lsoa
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

from .insights_world import boundary_around

CENTRE = (391_000.0, 342_000.0)
HALF = 1000.0
MONTHS = [m for m in month_range("2024-01", "2025-06") if m != "2024-07"]
FAR_AWAY = (530_000.0, 180_000.0)


def cell_rates() -> np.ndarray:
    rng = np.random.default_rng(11)
    rates = rng.gamma(0.3, 0.4, size=(8, 8))
    rates[:2, :2] += 3.0
    rates[5, :] += 1.0
    return rates


def _crimes(source: SourceFile, rng: np.random.Generator, far_away: bool) -> list[Crime]:
    counts = rng.poisson(cell_rates())
    rows, cols = np.nonzero(counts)
    n = counts[rows, cols]
    x = CENTRE[0] - HALF + np.repeat(cols, n) * 250 + rng.random(n.sum()) * 250
    y = CENTRE[1] - HALF + np.repeat(rows, n) * 250 + rng.random(n.sum()) * 250
    if far_away:
        x = np.append(x, FAR_AWAY[0])
        y = np.append(y, FAR_AWAY[1])
    lat, lng = bng_to_wgs84(easting=x, northing=y)
    categories = np.where(rng.random(x.size) < 0.3, "burglary", "violent-crime")
    crimes = [
        Crime(
            force=source.force,
            falls_within=source.force,
            month=source.month,
            category=str(categories[i]),
            latitude=float(lat[i]),
            longitude=float(lng[i]),
            easting=int(x[i]),
            northing=int(y[i]),
            source=source,
            lsoa_code="E01099999",
        )
        for i in range(x.size)
    ]
    crimes.append(Crime(force=source.force, month=source.month, category="robbery", source=source))
    return crimes


def _source(force: Force, month: str) -> SourceFile:
    return SourceFile.objects.create(
        kind=SourceKind.STREET,
        path=f"/data/{month}-{force.pk}-street.csv",
        sha256=f"{force.pk}{month}".ljust(64, "0")[:64],
        force=force,
        month=month,
        status=SourceStatus.LOADED,
        started_at=timezone.now(),
    )


def add_month(force: Force, month: str, seed: int) -> None:
    source = _source(force, month)
    # Without LSOAs the study area comes from where crimes are, and a crime a month in London
    # (more than the 0.5% trimmed) would stretch it across the country and slow every test.
    far_away = Lsoa.objects.filter(force=force).exists()
    Crime.objects.bulk_create(_crimes(source, np.random.default_rng(seed), far_away))


def add_crimes(force: Force, month: str, point: tuple[float, float], n: int) -> None:
    """``n`` burglaries at ``point`` (BNG) in ``month``, loaded as an import of their own (as
    a reload of a month held, or a new month, is)."""
    source = _source(force, month)
    lat, lng = bng_to_wgs84(easting=np.array([point[0]]), northing=np.array([point[1]]))
    Crime.objects.bulk_create(
        Crime(
            force=force,
            falls_within=force,
            month=month,
            category="burglary",
            latitude=float(lat[0]),
            longitude=float(lng[0]),
            easting=int(point[0]),
            northing=int(point[1]),
            source=source,
        )
        for _ in range(n)
    )


def build_forecast_world(months: list[str] = MONTHS, *, lsoa: bool = True) -> Force:
    """Testshire's crimes in ``months``; without ``lsoa``, no LSOA boundary, so its study area
    comes from where its crimes were recorded."""
    force, _ = Force.objects.update_or_create(id="testshire", defaults={"name": "Testshire Police"})
    if lsoa:
        Lsoa.objects.create(
            code="E01099999",
            name="Testshire 001A",
            census_year=2011,
            force=force,
            **boundary_around(CENTRE, HALF - 1.0),
        )
    for i, month in enumerate(months):
        add_month(force, month, seed=100 + i)
    return force


def current_backtest(*, force_id: str, category: str, cell_size: float) -> dict[str, Any] | None:
    """The stored back-test summary for these settings, if made from the data held now."""
    state = backtest_state(force_id=force_id, category=category, cell_size=cell_size)
    return state.summary if state.current else None
