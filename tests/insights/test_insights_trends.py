from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from beatbook.insights.area_trends import area_trends, months_held
from beatbook.insights.areas import AreaError, area_resolve
from beatbook.places.models import Lsoa, Neighbourhood

from .insights_world import AnalyticsWorld


def test_a_neighbourhood_by_name_or_id(world: AnalyticsWorld) -> None:
    by_name = area_resolve(text="longton")
    assert by_name.kind == "neighbourhood"
    assert by_name.neighbourhood_id == world.longton.pk
    assert by_name.population == 21_000
    assert area_resolve(text=str(world.hanley.pk)).neighbourhood_id == world.hanley.pk
    # Hanley has no population of its own: its LSOAs' is used.
    assert area_resolve(text="Hanley").population == 2000


def test_an_lsoa_a_local_authority_and_a_force(world: AnalyticsWorld) -> None:
    lsoa = area_resolve(text="E01014213")
    assert (lsoa.kind, lsoa.lsoa_codes, lsoa.population) == ("lsoa", ("E01014213",), 1500)
    council = area_resolve(text="Stoke-on-Trent")
    assert council.kind == "la"
    assert council.lsoa_codes == ("E01014100", "E01014213")
    assert council.population == 3500
    force = area_resolve(text="staffordshire")
    assert (force.kind, force.force_ids, force.population) == (
        "force",
        ("staffordshire",),
        5200,
    )


def test_a_local_authority_is_found_from_lsoa_names_alone(world: AnalyticsWorld) -> None:
    Lsoa.objects.filter(code="E01029900").update(local_authority_name="")
    area = area_resolve(text="Newcastle-under-Lyme")
    assert area.lsoa_codes == ("E01029900",)


def test_an_authority_is_one_area_across_the_2011_and_2021_lsoas(world: AnalyticsWorld) -> None:
    """The 2011 table names it "Stoke-on-Trent UA"; a 2011 LSOA split in 2021 into two LSOAs
    the force lookup does not cover yet. Either name finds the same area, named as the LSOA
    names carry it, and its residents are the 2021 census's, with the split LSOA once."""
    Lsoa.objects.filter(name__startswith="Stoke-on-Trent ").update(
        local_authority_name="Stoke-on-Trent UA"
    )
    Lsoa.objects.filter(code="E01014100").update(population_2021=None)  # split in 2021
    for code, suffix, people in (("E01034052", "001F", 1100), ("E01034053", "001G", 1200)):
        Lsoa.objects.create(
            code=code, name=f"Stoke-on-Trent {suffix}", census_year=2021, population_2021=people
        )

    by_table = area_resolve(text="la:Stoke-on-Trent UA", force_ids=["staffordshire"])
    by_names = area_resolve(text="la:Stoke-on-Trent")

    for area in (by_table, by_names):
        assert area.label == "Stoke-on-Trent"
        assert area.lsoa_codes == ("E01014100", "E01014213", "E01034052", "E01034053")
        assert area.population == 1500 + 1100 + 1200
    # Without 2021 LSOAs of its own, an area counts each LSOA's latest census, as before.
    assert area_resolve(text="E01014100").population == 2000 - 50


def test_a_shared_name_is_refused_with_the_choices(world: AnalyticsWorld) -> None:
    hood = Neighbourhood.objects.create(force=world.force, code="SOT.CITY", name="Stoke-on-Trent")
    with pytest.raises(AreaError, match="could be more than one area") as error:
        area_resolve(text="Stoke-on-Trent")
    assert f"neighbourhood:{hood.pk}" in str(error.value)
    assert "la:Stoke-on-Trent" in str(error.value)
    assert area_resolve(text="la:Stoke-on-Trent").kind == "la"
    assert area_resolve(text=f"neighbourhood:{hood.pk}").neighbourhood_id == hood.pk


def test_unknown_and_unseen_areas_are_refused(world: AnalyticsWorld) -> None:
    with pytest.raises(AreaError, match="called 'Atlantis'"):
        area_resolve(text="Atlantis")
    with pytest.raises(AreaError, match="Name an area"):
        area_resolve(text="  ")
    with pytest.raises(AreaError, match="called 'Longton'"):
        area_resolve(text="Longton", force_ids=["cheshire"])


def test_trends_compare_with_the_same_months_last_year(world: AnalyticsWorld) -> None:
    assert months_held(force_ids=["staffordshire"]) == ["2024-01", "2024-02", "2025-01", "2025-02"]
    trends = area_trends(area=area_resolve(text="Longton"), month_from="2025-01")
    assert (trends.month_from, trends.month_to) == ("2025-01", "2025-02")
    report = trends.report
    changes = {change.category: change for change in report.changes}
    assert (changes["burglary"].current, changes["burglary"].previous) == (9, 2)
    # 9 against 2 looks like a rise, but 9 or more of 11 at even odds happens 6.5% of the time.
    assert changes["burglary"].p_value == pytest.approx(0.0654296875)
    assert changes["burglary"].verdict() == "No more than chance"
    assert changes["other-theft"].verdict() == "No more than chance"
    assert report.totals.loc["burglary", "per_1000"] == pytest.approx(9 / 21_000 * 1000)
    assert report.repeat_locations.iloc[0].street_name == "On or near Market Street"


def test_the_default_period_is_the_latest_twelve_months(world: AnalyticsWorld) -> None:
    trends = area_trends(area=area_resolve(text="staffordshire"))
    assert (trends.month_from, trends.month_to) == ("2024-03", "2025-02")
    assert "2024-06" in trends.report.months_missing
    assert trends.report.compared_months == ["2025-01", "2025-02"]


def test_the_command_prints_the_tables(world: AnalyticsWorld) -> None:
    out = io.StringIO()
    call_command("trends", "--area", "E01014213", "--from", "2025-01", stdout=out)
    text = out.getvalue()
    assert "Stoke-on-Trent 012A E01014213 (LSOA)" in text
    assert "No more than chance" in text
    assert "0.065" in text
    assert "Seasonality" in text
    assert "On or near Market Street" in text


def test_the_command_names_bad_input(world: AnalyticsWorld) -> None:
    with pytest.raises(CommandError, match="called 'Atlantis'"):
        call_command("trends", "--area", "Atlantis")
    with pytest.raises(CommandError, match="last month must be a month written YYYY-MM"):
        call_command("trends", "--area", "Longton", "--to", "2025")
    with pytest.raises(CommandError, match="No crime data is loaded for Cheshire"):
        call_command("trends", "--area", "cheshire", "--to", "2025-01")
    with pytest.raises(CommandError, match="the months held run from 2025-02 to 2025-02"):
        call_command("trends", "--area", "cheshire", "--to", "2025-01")
