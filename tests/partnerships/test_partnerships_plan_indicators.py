"""The plan's indicators, computed for the partnership's area: checked against counts taken
straight from the rows, with months not published never read as months of no crime."""

from __future__ import annotations

import pytest

from beatbook.analysis.indicator_series import quarters, year
from beatbook.partnerships.models import PartnershipAuthority
from beatbook.partnerships.strategy_indicators import (
    IndicatorError,
    indicator_choices,
    indicator_series,
    indicator_year_value,
)
from beatbook.places.models import Force

from .strategy_world import (
    MONTHS_2025,
    STOKE_POPULATION,
    StrategyWorld,
    build_strategy_world,
    count_directly,
    load_month,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> StrategyWorld:
    return build_strategy_world()


def test_the_choices_are_the_categories_recorded_in_the_area_counted_and_per_1000(
    world: StrategyWorld,
) -> None:
    choices = {
        choice.key: choice.label for choice in indicator_choices(partnership=world.partnership)
    }

    assert choices == {
        "all-crime/count": "All crime, number recorded",
        "all-crime/per_1000": "All crime per 1,000 residents",
        "anti-social-behaviour/count": "Anti-social behaviour, number recorded",
        "anti-social-behaviour/per_1000": "Anti-social behaviour per 1,000 residents",
        "burglary/count": "Burglary, number recorded",
        "burglary/per_1000": "Burglary per 1,000 residents",
        "violent-crime/count": "Violence and sexual offences, number recorded",
        "violent-crime/per_1000": "Violence and sexual offences per 1,000 residents",
    }  # shoplifting is recorded only in Newcastle-under-Lyme, outside the area


@pytest.mark.parametrize("category", ["violent-crime", "anti-social-behaviour", "burglary", None])
def test_each_quarter_and_year_matches_the_rows_counted_directly(
    world: StrategyWorld, category: str | None
) -> None:
    indicator = f"{category or 'all-crime'}/count"
    series = indicator_series(partnership=world.partnership, indicator=indicator, years=[2025])

    for found, period in zip(series.quarters, quarters(2025), strict=True):
        direct = count_directly(months=list(period.months), category=category)
        assert found.count == direct
        assert found.figure == direct
        assert found.value == direct * 4  # at an annual rate
    assert series.years[0].count == count_directly(months=MONTHS_2025, category=category)


def test_a_rate_is_per_1000_residents_of_the_area(world: StrategyWorld) -> None:
    found = indicator_year_value(
        partnership=world.partnership, indicator="violent-crime/per_1000", year_number=2025
    )

    direct = count_directly(months=MONTHS_2025, category="violent-crime")
    assert found.value == pytest.approx(direct / STOKE_POPULATION * 1000)


def test_by_hand_january_to_march_2025(world: StrategyWorld) -> None:
    """Violence: Stoke A has 3 + n % 4 and Stoke B 2 + n % 3 in month n: (4 + 3) + (5 + 4) +
    (6 + 2) = 24 in the quarter, 96 a year at that rate."""
    series = indicator_series(
        partnership=world.partnership, indicator="violent-crime/count", years=[2025]
    )

    assert series.quarters[0].count == 24
    assert series.quarters[0].value == 96


def test_a_quarter_with_a_month_not_published_has_no_value_and_says_which(
    world: StrategyWorld,
) -> None:
    load_month(world.force, "2026-01")
    load_month(world.force, "2026-03")  # February 2026 was never published

    series = indicator_series(
        partnership=world.partnership, indicator="all-crime/count", years=[2026]
    )

    first, second = series.quarters[:2]
    assert first.value is None
    assert first.count is None
    assert first.missing == ("2026-02",)
    assert first.reason == "Not enough data: February 2026 is not published."
    assert second.value is None
    assert second.not_yet == ("2026-04", "2026-05", "2026-06")
    assert series.years[0].value is None


def test_adding_a_later_quarter_does_not_change_earlier_quarters(world: StrategyWorld) -> None:
    def values() -> list[float | None]:
        series = indicator_series(
            partnership=world.partnership, indicator="violent-crime/per_1000", years=[2025, 2026]
        )
        return [found.value for found in series.quarters]

    before = values()
    for month in ("2026-01", "2026-02", "2026-03"):
        load_month(world.force, month)
    after = values()

    assert after[:4] == before[:4]
    assert before[4] is None
    assert after[4] is not None


def test_a_month_one_force_of_the_area_lacks_is_unknown_for_the_whole_area(
    world: StrategyWorld,
) -> None:
    """An area across two forces: a month only Staffordshire has published is not held."""
    from beatbook.places.models import Lsoa

    cheshire = Force.objects.get(pk="cheshire")
    Lsoa.objects.create(
        code="E01018400",
        name="Stoke-on-Trent 099Z",
        census_year=2011,
        local_authority_name="Stoke-on-Trent",
        population_2021=1000,
        force=cheshire,
    )
    found = indicator_year_value(
        partnership=world.partnership, indicator="all-crime/count", year_number=2025
    )

    assert found.value is None
    assert len(found.missing) == 12


def test_an_unknown_indicator_is_refused(world: StrategyWorld) -> None:
    with pytest.raises(IndicatorError, match="not a police.uk crime category"):
        indicator_year_value(
            partnership=world.partnership, indicator="jaywalking/count", year_number=2025
        )
    with pytest.raises(IndicatorError, match="counted"):
        indicator_year_value(
            partnership=world.partnership, indicator="burglary/percent", year_number=2025
        )


def test_a_partnership_without_an_area_offers_no_indicators(world: StrategyWorld) -> None:
    PartnershipAuthority.objects.filter(partnership=world.partnership).delete()

    assert indicator_choices(partnership=world.partnership) == []


def test_periods_are_calendar_years_and_quarters() -> None:
    assert year(2026).months[0] == "2026-01"
    assert [q.label for q in quarters(2026)] == [
        "January to March 2026",
        "April to June 2026",
        "July to September 2026",
        "October to December 2026",
    ]
