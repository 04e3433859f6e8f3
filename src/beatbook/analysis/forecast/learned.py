"""Learned count models on lagged cell, neighbour and seasonal features: the pattern that won
the NIJ Real-Time Crime Forecasting Challenge, fitted afresh at every forecast origin.

``PoissonBoosting`` is scikit-learn's histogram gradient boosting with a Poisson loss;
``PoissonGLM`` a ridge-regularised Poisson regression on log features; ``LinearBlend`` a
non-negative least-squares blend of the same features. Each trains on the
``train_months`` most recent observed months before the forecast month, every one of them
described only by the months before *it*.
"""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import numpy.typing as npt

from beatbook.analysis.forecast.baselines import check_forecast_month
from beatbook.analysis.forecast.features import Timeline, build_features, feature_names
from beatbook.analysis.forecast.matrix import CellMonthCounts
from beatbook.analysis.grid import FloatArray, IntArray

MIN_HISTORY = 3
QUIET_SHARE = 0.1


class _Learned:
    name = "learned"
    # Observed months a training target needs before it, and whether to use the extended
    # feature set (features.feature_names).
    min_history = MIN_HISTORY
    extended = False

    def __init__(self, train_months: int = 12, seed: int = 0) -> None:
        self.train_months = train_months
        self.seed = seed
        self.history: CellMonthCounts | None = None
        self.auxiliary: CellMonthCounts | None = None
        self.model: Any = None

    def fit(self, history: CellMonthCounts, auxiliary: CellMonthCounts | None = None) -> Self:
        if auxiliary is not None and auxiliary.months != history.months:
            raise ValueError("The auxiliary counts must cover the same months as the history.")
        self.history, self.auxiliary, self.model = history, auxiliary, None
        targets = self._training_targets(history)
        if not targets:
            return self  # too short a history: predict falls back on the recent mean
        timeline = Timeline.extend(history, history.months[-1])
        aux = None if auxiliary is None else Timeline.extend(auxiliary, auxiliary.months[-1])
        raw = build_features(history, timeline, targets, aux, extended=self.extended)
        target = history.counts[targets].reshape(-1)
        keep, weight = self._sample(raw)
        if not np.nansum(target[keep]) > 0:
            return self  # no crime to learn from (a Poisson loss cannot fit all zeros)
        self.model = self._estimator().fit(
            self._prepare(raw[keep]), target[keep], **self._weight_argument(weight)
        )
        return self

    def _sample(self, raw: FloatArray) -> tuple[IntArray, FloatArray]:
        """All rows with any crime in their features, and a seeded tenth of the rest weighted
        ten times: most cells of a force never see a crime, and fitting every one of them
        would cost minutes at every origin for no change in the ranking."""
        # Compared as a whole, then the season column ignored: cheaper than copying the other
        # columns out of a matrix of millions of numbers. NaN > 0 is False.
        positive = raw > 0
        positive[:, self._season_column()] = False
        quiet = ~positive.any(axis=1)
        rng = np.random.default_rng(self.seed)
        chosen = ~quiet | (rng.random(raw.shape[0]) < QUIET_SHARE)
        weight = np.where(quiet, 1.0 / QUIET_SHARE, 1.0)
        keep = np.flatnonzero(chosen)
        return keep, weight[keep]

    def _season_column(self) -> int:
        return feature_names(self.auxiliary is not None, self.extended).index("month_of_year")

    def _weight_argument(self, weight: FloatArray) -> dict[str, Any]:
        return {"sample_weight": weight}

    def predict(self, month: str) -> FloatArray:
        history = check_forecast_month(self.history, month)
        if self.model is None:
            from beatbook.analysis.forecast.baselines import recent_mean

            return recent_mean(history, 12)
        timeline = Timeline.extend(history, month)
        aux = None
        if self.auxiliary is not None:
            aux = Timeline.extend(self.auxiliary, month)
        rows = build_features(
            history, timeline, [timeline.index_of(month)], aux, extended=self.extended
        )
        features = self._prepare(rows)
        return np.asarray(self.model.predict(features), dtype=np.float64)

    def _training_targets(self, history: CellMonthCounts) -> list[int]:
        observed = np.flatnonzero(history.observed)
        usable = [t for t in observed if np.searchsorted(observed, t) >= self.min_history]
        return [int(t) for t in usable[-self.train_months :]]

    def _prepare(self, features: FloatArray) -> FloatArray:
        return features

    def _estimator(self) -> Any:
        raise NotImplementedError


class PoissonBoosting(_Learned):
    """Gradient-boosted trees with a Poisson loss on lagged, neighbour and seasonal features."""

    name = "poisson-gbm"

    def __init__(
        self,
        train_months: int = 12,
        max_iter: int = 100,
        learning_rate: float = 0.1,
        seed: int = 0,
    ) -> None:
        super().__init__(train_months, seed)
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self._blank: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)

    def _prepare(self, features: FloatArray) -> FloatArray:
        # A feature no training row has (the same month last year, in a force's first year)
        # is set to zero: scikit-learn cannot bin a column that is all missing.
        if self.model is None:
            self._blank = np.asarray(np.isnan(features).all(axis=0), dtype=bool)
        prepared = features.copy()
        prepared[:, self._blank] = 0.0
        return prepared

    def _estimator(self) -> Any:
        # scikit-learn is imported only when a model is fitted: importing it costs a forecast
        # command that uses another method most of a second.
        from sklearn.ensemble import HistGradientBoostingRegressor

        return HistGradientBoostingRegressor(
            loss="poisson",
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=31,
            min_samples_leaf=100,
            l2_regularization=1.0,
            early_stopping=False,
            random_state=self.seed,
        )


class PoissonGLM(_Learned):
    """Ridge-regularised Poisson regression on log(1 + feature); missing lags count as 0."""

    name = "poisson-glm"

    def __init__(self, train_months: int = 12, alpha: float = 1e-3, seed: int = 0) -> None:
        super().__init__(train_months, seed)
        self.alpha = alpha

    def _prepare(self, features: FloatArray) -> FloatArray:
        # Month of year is a label, not a size: a log-linear model cannot use it as one.
        season = feature_names(self.auxiliary is not None).index("month_of_year")
        sizes = np.delete(features, season, axis=1)
        return np.asarray(np.log1p(np.nan_to_num(np.maximum(sizes, 0.0))), dtype=np.float64)

    def _weight_argument(self, weight: FloatArray) -> dict[str, Any]:
        return {"poissonregressor__sample_weight": weight}

    def _estimator(self) -> Any:
        from sklearn.linear_model import PoissonRegressor
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), PoissonRegressor(alpha=self.alpha, max_iter=300))


class NonNegativeLeastSquares:
    """Weighted least squares with every coefficient at least zero, plus a constant that is at
    least zero too.

    Kept to non-negative weights so that a forecast is a blend of counts and means, never a
    difference of them, and so can never rank a cell higher for having had less crime. Solved
    on the p x p cross-products rather than the rows: with G = R'R (Cholesky) and z = R'^-1 X'Wy,
    ||Rb - z||^2 differs from the weighted ||Xb - y||^2 by a constant, so scipy's ``nnls`` finds
    the same minimum from a few hundred numbers instead of millions."""

    def __init__(self) -> None:
        self.coef_: FloatArray = np.zeros(0)
        self.intercept_ = 0.0

    def fit(self, features: FloatArray, target: FloatArray, sample_weight: FloatArray) -> Self:
        from scipy.linalg import cholesky, solve_triangular
        from scipy.optimize import nnls

        weighted = features * sample_weight[:, None]
        size = features.shape[1] + 1
        gram = np.empty((size, size))
        gram[:-1, :-1] = weighted.T @ features
        gram[-1, :-1] = gram[:-1, -1] = weighted.sum(axis=0)
        gram[-1, -1] = sample_weight.sum()
        moment = np.append(weighted.T @ target, sample_weight @ target)
        # Windows that coincide (every mean is the same mean in a force's first months) make the
        # cross-products singular; a ridge far below the data's scale keeps Cholesky defined.
        gram[np.diag_indices(size)] += 1e-9 * max(float(np.trace(gram)) / size, 1e-12)
        upper = cholesky(gram)
        solution, _ = nnls(upper, solve_triangular(upper, moment, trans="T"))
        self.coef_, self.intercept_ = solution[:-1], float(solution[-1])
        return self

    def predict(self, features: FloatArray) -> FloatArray:
        return np.asarray(features @ self.coef_ + self.intercept_, dtype=np.float64)


class LinearBlend(_Learned):
    """A non-negative blend of each cell's recent and long-run means, lags, its neighbours'
    means and the all-crime means, the weights fitted by least squares on the months before.

    The baselines each pick one window; this learns from the force's own history how much of
    each to trust (a long mean where counts are steady, a short one where they move, the
    neighbourhood where a cell has too few crimes to tell). It needs one month of history per
    training month, so it learns from a force's second month on."""

    name = "linear-blend"
    min_history = 1
    extended = True

    def fit(self, history: CellMonthCounts, auxiliary: CellMonthCounts | None = None) -> Self:
        super().fit(history, auxiliary)
        if self.model is not None and not np.any(self.model.coef_ > 0):
            self.model = None  # only a constant was learned: fall back on the recent mean
        return self

    def _prepare(self, features: FloatArray) -> FloatArray:
        names = feature_names(self.auxiliary is not None, self.extended)
        sizes = np.delete(features, names.index("month_of_year"), axis=1)
        sizes[np.isnan(sizes)] = 0.0  # a window with no observed month yet counts as zero
        return sizes

    def _estimator(self) -> Any:
        return NonNegativeLeastSquares()


class PoissonEnsemble:
    """The mean of the boosted and the linear Poisson forecasts: the trees find thresholds and
    interactions in busy categories, the linear model is steadier where crimes are few."""

    name = "poisson-ensemble"
    # The one list of members: back-tests share these members' own fits (methods.ENSEMBLES).
    member_classes: tuple[type[_Learned], ...] = (PoissonBoosting, PoissonGLM)

    def __init__(self, train_months: int = 12, seed: int = 0) -> None:
        self.members: list[_Learned] = [
            member(train_months=train_months, seed=seed) for member in self.member_classes
        ]

    def fit(self, history: CellMonthCounts, auxiliary: CellMonthCounts | None = None) -> Self:
        for member in self.members:
            member.fit(history, auxiliary)
        return self

    def predict(self, month: str) -> FloatArray:
        forecasts = [member.predict(month) for member in self.members]
        return np.asarray(np.mean(forecasts, axis=0), dtype=np.float64)
