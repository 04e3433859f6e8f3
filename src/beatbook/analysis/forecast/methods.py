"""Every forecasting method by name, and which of them are baselines."""

from __future__ import annotations

from collections.abc import Callable

from beatbook.analysis.forecast.baselines import (
    Forecaster,
    LastMonth,
    MeanOfLast,
    ProspectiveHotspot,
    RetrospectiveKDE,
)
from beatbook.analysis.forecast.learned import (
    LinearBlend,
    PoissonBoosting,
    PoissonEnsemble,
    PoissonGLM,
)

MethodFactory = Callable[[int], Forecaster]

METHODS: dict[str, MethodFactory] = {
    "last-month": lambda seed: LastMonth(seed=seed),
    "mean-3": lambda seed: MeanOfLast(3, seed=seed),
    "mean-12": lambda seed: MeanOfLast(12, seed=seed),
    "kde": lambda seed: RetrospectiveKDE(seed=seed),
    "prospective": lambda seed: ProspectiveHotspot(seed=seed),
    "poisson-glm": lambda seed: PoissonGLM(seed=seed),
    "poisson-gbm": lambda seed: PoissonBoosting(seed=seed),
    "poisson-ensemble": lambda seed: PoissonEnsemble(seed=seed),
    "linear-blend": lambda seed: LinearBlend(seed=seed),
}

BASELINES = ("last-month", "mean-3", "mean-12", "kde", "prospective")
# Methods whose forecast is the mean of other methods' forecasts (fitted with the same seed),
# so a back-test that runs the members as well need not fit them twice.
ENSEMBLES: dict[str, tuple[str, ...]] = {
    PoissonEnsemble.name: tuple(member.name for member in PoissonEnsemble.member_classes)
}
# Methods that fit in well under a second on a force's year of cells, for a quick back-test
# made while someone waits; the boosted and Poisson fits take seconds each.
FAST_METHODS = (*BASELINES, "linear-blend")
# The method forecasts use when no back-test has named a better one: the best on the
# recorded back-tests of the real data (docs/benchmarks.md), and fast.
DEFAULT_METHOD = "linear-blend"

DESCRIPTIONS: dict[str, str] = {
    "last-month": "Last month's crimes in each cell",
    "mean-3": "Mean of the last 3 months",
    "mean-12": "Mean of the last 12 months",
    "kde": "Kernel density of the last 12 months (200 m Gaussian)",
    "prospective": "Prospective hotspotting (Bowers, Johnson and Pease 2004), last 3 months, 400 m",
    "poisson-glm": "Regularised Poisson regression on lagged, neighbour and all-crime features",
    "poisson-ensemble": "Mean of the boosted and the regularised Poisson models",
    "linear-blend": (
        "Non-negative blend of recent and long-run means, lags, neighbours' and all-crime means,"
        " weighted by least squares on the months before"
    ),
    "poisson-gbm": (
        "Gradient-boosted Poisson model on lagged, neighbour, seasonal and all-crime features"
    ),
}


def check_methods(names: list[str] | tuple[str, ...]) -> list[str]:
    """The names, if every one is a known method; else a ValueError listing the choices."""
    unknown = [name for name in names if name not in METHODS]
    if unknown:
        raise ValueError(
            f"Unknown forecasting method {', '.join(unknown)}: choose from {', '.join(METHODS)}."
        )
    return list(names)
