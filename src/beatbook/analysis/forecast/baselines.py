"""The forecasts a crime analyst would make by hand: last month, the mean of recent months, a
retrospective kernel density surface and prospective hotspotting.

Every method follows fit/predict: ``fit(history)`` sees only the months before the forecast
month (``CellMonthCounts.before``), ``predict(month)`` returns one score per study cell. They
are deterministic; ``seed`` is accepted so every method is built the same way.
"""

from __future__ import annotations

from typing import Protocol, Self

import numpy as np
from scipy import ndimage

from beatbook.analysis.forecast.matrix import CellMonthCounts
from beatbook.analysis.grid import FloatArray
from beatbook.common.months import month_number


class Forecaster(Protocol):
    name: str

    def fit(self, history: CellMonthCounts, auxiliary: CellMonthCounts | None = None) -> Self: ...

    def predict(self, month: str) -> FloatArray: ...


class NotFittedError(RuntimeError):
    pass


def check_forecast_month(history: CellMonthCounts | None, month: str) -> CellMonthCounts:
    """The fitted history, if ``month`` comes after all of it."""
    if history is None:
        raise NotFittedError("Fit the method to the months before the forecast month first.")
    if history.months and month_number(month) <= month_number(history.months[-1]):
        raise ValueError(
            f"A forecast for {month} may only use earlier months, but the history runs to "
            f"{history.months[-1]}."
        )
    if not history.observed.any():
        raise ValueError(f"There is no observed month before {month} to forecast from.")
    return history


def recent_mean(history: CellMonthCounts, months: int) -> FloatArray:
    """Mean per cell over the last ``months`` calendar months, skipping unobserved ones; the
    most recent observed month if none of them is observed."""
    window = history.counts[-months:]
    observed = ~np.isnan(window).all(axis=1)
    if observed.any():
        return np.asarray(window[observed].mean(axis=0), dtype=np.float64)
    return last_observed(history)


def last_observed(history: CellMonthCounts) -> FloatArray:
    rows = np.flatnonzero(history.observed)
    return np.array(history.counts[rows[-1]], dtype=np.float64)


class _Baseline:
    name = "baseline"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.history: CellMonthCounts | None = None

    def fit(self, history: CellMonthCounts, auxiliary: CellMonthCounts | None = None) -> Self:
        self.history = history
        return self

    def predict(self, month: str) -> FloatArray:
        raise NotImplementedError


class LastMonth(_Baseline):
    """Last observed month's counts: next month looks like this one."""

    name = "last-month"

    def predict(self, month: str) -> FloatArray:
        return last_observed(check_forecast_month(self.history, month))


class MeanOfLast(_Baseline):
    """Mean count of the last ``months`` calendar months (unobserved months skipped)."""

    def __init__(self, months: int, seed: int = 0) -> None:
        super().__init__(seed)
        if months < 1:
            raise ValueError("The mean needs at least one month.")
        self.months = months
        self.name = f"mean-{months}"

    def predict(self, month: str) -> FloatArray:
        return recent_mean(check_forecast_month(self.history, month), self.months)


class RetrospectiveKDE(_Baseline):
    """A Gaussian kernel density surface of the last ``months`` months' crimes.

    Binned: the crimes of each cell sit at its centre, and the surface is read at cell centres
    (``bandwidth`` metres is the kernel's standard deviation), the way hotspot maps are made.
    """

    name = "kde"

    def __init__(self, months: int = 12, bandwidth: float = 200.0, seed: int = 0) -> None:
        super().__init__(seed)
        self.months = months
        self.bandwidth = bandwidth

    def predict(self, month: str) -> FloatArray:
        history = check_forecast_month(self.history, month)
        image = history.to_images(recent_mean(history, self.months))
        sigma = self.bandwidth / history.grid.cell_size
        smooth = ndimage.gaussian_filter(image, sigma=sigma, mode="constant", truncate=3.0)
        return history.from_images(smooth)


def prospective_kernel(cell_size: float, bandwidth: float) -> FloatArray:
    """Bowers, Johnson and Pease's spatial weight 1 / (1 + d), d in cells, within
    ``bandwidth`` metres."""
    reach = int(bandwidth // cell_size)
    offsets = np.arange(-reach, reach + 1, dtype=np.float64)
    distance = np.hypot(offsets[:, None], offsets[None, :])
    return np.where(distance * cell_size <= bandwidth, 1.0 / (1.0 + distance), 0.0)


class ProspectiveHotspot(_Baseline):
    """Prospective hotspotting (Bowers, Johnson and Pease 2004): each recent crime raises the
    risk around it by 1 / (1 + distance in cells) x 1 / (1 + months elapsed), within
    ``bandwidth`` metres and the last ``months`` months. The paper counted weeks; police.uk
    publishes months, so time is counted in months."""

    name = "prospective"

    def __init__(self, months: int = 3, bandwidth: float = 400.0, seed: int = 0) -> None:
        super().__init__(seed)
        self.months = months
        self.bandwidth = bandwidth

    def predict(self, month: str) -> FloatArray:
        history = check_forecast_month(self.history, month)
        kernel = prospective_kernel(history.grid.cell_size, self.bandwidth)
        lag = month_number(month) - month_number(history.months[-1])
        recent = np.nan_to_num(history.counts[-self.months :])
        elapsed = np.arange(recent.shape[0] - 1, -1, -1) + lag - 1
        weighted = (recent / (1.0 + elapsed)[:, None]).sum(axis=0)
        image = ndimage.convolve(history.to_images(weighted), kernel, mode="constant")
        return history.from_images(image)
