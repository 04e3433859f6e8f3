"""What a back-test is defined by, in one value: which methods, categories and months, on what
cells, counted or weighed by which harm index, with which seed, scored at which coverages, and
how much history each forecast may learn from.

These settings used to travel as eleven or twelve separate arguments through the back-test
code, each function checking (or not) its own share. ``BacktestSettings`` checks them once,
when made, so every function that receives one can trust it.

Scores kept month by month are keyed on the force, category, measure, cell size, month and
method, and stamped with a digest of what else they depend on (``month_digest``). The digest is
the one the scores were stored under before this class existed, byte for byte, so no kept
score is made stale by it; settings that could not be chosen then (coverages other than the
default) are added to the digest only when they differ from it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from beatbook.analysis.forecast.matrix import ALL_CRIME
from beatbook.analysis.forecast.methods import METHODS, check_methods
from beatbook.analysis.grid import MAX_CELL_SIZE, MIN_CELL_SIZE
from beatbook.analysis.harm import check_index
from beatbook.analysis.metrics import COVERAGES
from beatbook.common.months import add_months, check_month, month_range

DEFAULT_CELL_SIZE = 250.0
# Every forecast of a month, live or back-tested, learns from the 36 months before it (ADR 8).
HISTORY_MONTHS = 36
# Bump when a change to the methods or the scoring changes any month's scores.
SCORING_VERSION = 2


def measure_name(harm: str | None) -> str:
    """What a back-test scores: crimes counted, or weighed by a harm index."""
    return "count" if harm is None else f"harm-{check_index(harm)}"


@dataclass(frozen=True)
class BacktestSettings:
    """The settings of one back-test, checked when made.

    ``months`` are the months scored, in order (a month without data, or without a month of
    data in the ``history_months`` before it, is skipped when scoring). ``history_months`` of
    ``None`` lets each forecast learn from every month held before it, as the recordings in
    docs/benchmarks.md did; everything the site shows uses ``HISTORY_MONTHS``.
    """

    months: tuple[str, ...]
    methods: tuple[str, ...] = tuple(METHODS)
    categories: tuple[str, ...] = (ALL_CRIME,)
    cell_size: float = DEFAULT_CELL_SIZE
    harm: str | None = None
    seed: int = 0
    coverages: tuple[float, ...] = COVERAGES
    history_months: int | None = HISTORY_MONTHS

    def __post_init__(self) -> None:
        # Lists are accepted and kept as tuples, so the value stays hashable and immutable.
        for name in ("months", "methods", "categories", "coverages"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "categories", tuple(dict.fromkeys(self.categories)))
        object.__setattr__(self, "cell_size", float(self.cell_size))
        object.__setattr__(self, "seed", int(self.seed))  # the digest holds its repr
        for month in self.months:
            check_month(month)
        if list(self.months) != sorted(set(self.months)):
            raise ValueError("The months of a back-test must be in order, each once.")
        check_methods(self.methods)
        if not self.methods:
            raise ValueError("A back-test needs at least one forecasting method.")
        if not self.categories:
            raise ValueError("A back-test needs at least one crime category.")
        self._check_numbers()

    def _check_numbers(self) -> None:
        if not MIN_CELL_SIZE <= self.cell_size <= MAX_CELL_SIZE:
            raise ValueError(
                f"Cell size must be between {MIN_CELL_SIZE:g} and {MAX_CELL_SIZE:g} metres, "
                f"not {self.cell_size:g}."
            )
        if self.cell_size != int(self.cell_size):
            # Stored scores and summaries are keyed on whole metres: 250.5 would overwrite 250.
            raise ValueError(f"Cell size must be a whole number of metres, not {self.cell_size:g}.")
        if self.harm is not None:
            check_index(self.harm)
        if not self.coverages or not all(0 < c <= 1 for c in self.coverages):
            raise ValueError(
                f"Coverages must be shares of the area above 0 and up to 1, not {self.coverages}."
            )
        if self.history_months is not None and self.history_months < 1:
            raise ValueError(
                f"A forecast needs at least one month of history, not {self.history_months}."
            )

    @classmethod
    def between(cls, month_from: str, month_to: str, **settings: Any) -> BacktestSettings:
        """Settings scoring every month from ``month_from`` to ``month_to``."""
        check_month(month_from, label="first month")
        check_month(month_to, label="last month")
        return cls(months=tuple(month_range(month_from, month_to)), **settings)

    def replace(self, **changes: Any) -> BacktestSettings:
        """The same settings with some changed, checked again."""
        return dataclasses.replace(self, **changes)

    @property
    def month_from(self) -> str:
        return self._months()[0]

    @property
    def month_to(self) -> str:
        return self._months()[-1]

    def _months(self) -> tuple[str, ...]:
        if not self.months:
            raise ValueError("These back-test settings score no month.")
        return self.months

    @property
    def measure(self) -> str:
        return measure_name(self.harm)

    def first_history_month(self, month: str) -> str | None:
        """The earliest month a forecast of ``month`` may learn from (``None``: any)."""
        return None if self.history_months is None else add_months(month, -self.history_months)

    def scorable(self, held: Sequence[str]) -> list[str]:
        """Those of ``months`` that are ``held`` and have a month held in the history before
        them, so can be forecast and scored."""
        have = sorted(set(held))
        scored = []
        for month in self.months:
            first = self.first_history_month(month)
            if month in have and any((first is None or first <= h) and h < month for h in have):
                scored.append(month)
        return scored

    def month_digest(
        self, month: str, *, sources: Mapping[str, int], area: str, harm_version: str
    ) -> str:
        """A digest of everything ``month``'s scores depend on beyond their key: the street
        files (month, import id) of the history it learns from and of itself, the study area's
        key, the harm table's version (empty when counting), the seed, the history allowed and
        the scoring version. The same text as before these settings existed, so kept scores
        stay valid; coverages other than the default add to it."""
        first = self.first_history_month(month)
        used = sorted(
            (m, i) for m, i in sources.items() if (first is None or first <= m) and m <= month
        )
        parts: tuple[object, ...] = (
            SCORING_VERSION,
            self.history_months,
            area,
            harm_version,
            self.seed,
            used,
        )
        if self.coverages != COVERAGES:
            parts = (*parts, self.coverages)
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
