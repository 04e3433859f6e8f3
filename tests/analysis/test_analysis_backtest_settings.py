"""The settings a back-test is defined by: checked once, and keyed as the stored scores were."""

from __future__ import annotations

import pytest

from beatbook.analysis.backtest_settings import (
    DEFAULT_CELL_SIZE,
    HISTORY_MONTHS,
    BacktestSettings,
)
from beatbook.analysis.forecast.matrix import ALL_CRIME
from beatbook.analysis.forecast.methods import METHODS
from beatbook.analysis.metrics import COVERAGES

SOURCES = {"2021-01": 7, "2024-12": 12, "2025-01": 13, "2025-02": 15}


def test_the_defaults_are_what_the_site_backtests_with() -> None:
    settings = BacktestSettings.between("2025-01", "2025-03")
    assert settings.months == ("2025-01", "2025-02", "2025-03")
    assert (settings.month_from, settings.month_to) == ("2025-01", "2025-03")
    assert settings.methods == tuple(METHODS)
    assert settings.categories == (ALL_CRIME,)
    assert settings.cell_size == DEFAULT_CELL_SIZE
    assert settings.coverages == COVERAGES
    assert settings.history_months == HISTORY_MONTHS == 36
    assert (settings.seed, settings.measure) == (0, "count")
    assert BacktestSettings(months=(), harm="cchi").measure == "harm-cchi"


def test_lists_become_tuples_and_categories_are_named_once() -> None:
    settings = BacktestSettings(
        months=["2025-01"],  # type: ignore[arg-type]
        methods=["mean-12"],  # type: ignore[arg-type]
        categories=["burglary", "burglary", ALL_CRIME],  # type: ignore[arg-type]
    )
    assert settings.months == ("2025-01",)
    assert settings.categories == ("burglary", ALL_CRIME)
    assert hash(settings) == hash(settings.replace())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"months": ("2025-13",)}, "YYYY-MM"),
        ({"months": ("2025-02", "2025-01")}, "in order, each once"),
        ({"methods": ("crystal",)}, "Unknown forecasting method crystal"),
        ({"methods": ()}, "at least one forecasting method"),
        ({"categories": ()}, "at least one crime category"),
        ({"cell_size": 20.0}, "Cell size must be between 50 and 5000"),
        ({"cell_size": 250.5}, "whole number of metres"),
        ({"harm": "pain"}, "Harm index must be"),
        ({"coverages": (0.0,)}, "Coverages must be"),
        ({"history_months": 0}, "at least one month of history"),
    ],
)
def test_bad_settings_are_named_when_made(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BacktestSettings(months=("2025-01",)).replace(**changes)


def test_a_range_names_its_bad_end() -> None:
    with pytest.raises(ValueError, match="The first month must be a month"):
        BacktestSettings.between("2025", "2025-02")
    with pytest.raises(ValueError, match="The last month must be a month"):
        BacktestSettings.between("2025-01", "soon")
    with pytest.raises(ValueError, match=r"The first month \(2025-03\) is after the last"):
        BacktestSettings.between("2025-03", "2025-02")


def test_a_month_is_scorable_when_held_with_a_month_held_in_its_history() -> None:
    held = ["2020-01", "2024-01", "2024-02", "2024-04"]
    settings = BacktestSettings.between("2020-01", "2024-05")
    assert settings.scorable(held) == ["2024-02", "2024-04"]
    # 2024-01's only earlier month is 48 months back: scorable only with all history.
    assert settings.replace(history_months=None).scorable(held) == ["2024-01", "2024-02", "2024-04"]


def test_the_month_digest_is_the_one_scores_were_stored_under() -> None:
    """The digests of the scores kept before the settings existed (written out here from the
    old ``month_inputs``): changing them would make every kept month stale."""
    settings = BacktestSettings(months=("2025-01",))
    digest = settings.month_digest("2025-01", sources=SOURCES, area="abc123def456", harm_version="")
    assert digest == "fe8d56f93ef7d16b553294ee040ba5d6"
    harm = settings.replace(seed=3, harm="cchi")
    assert (
        harm.month_digest("2025-01", sources=SOURCES, area="crimes", harm_version="v9")
        == "3fe7bf83eaa7613d5d76e3fac1340ebe"
    )


def test_the_digest_moves_with_what_the_scores_depend_on() -> None:
    settings = BacktestSettings(months=("2025-01",))
    base = settings.month_digest("2025-01", sources=SOURCES, area="a", harm_version="")
    later = {**SOURCES, "2025-02": 99}  # a later month reloaded: not this month's input
    assert settings.month_digest("2025-01", sources=later, area="a", harm_version="") == base
    for other in (
        settings.month_digest(
            "2025-01", sources={**SOURCES, "2025-01": 14}, area="a", harm_version=""
        ),
        settings.month_digest("2025-01", sources=SOURCES, area="b", harm_version=""),
        settings.replace(seed=1).month_digest(
            "2025-01", sources=SOURCES, area="a", harm_version=""
        ),
        settings.replace(coverages=(0.01,)).month_digest(
            "2025-01", sources=SOURCES, area="a", harm_version=""
        ),
    ):
        assert other != base
