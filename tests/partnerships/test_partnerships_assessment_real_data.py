"""The strategic assessment on the real files in ../shared/data, loaded as a user loads them
(the places imports of the LSOA tables, then ``ingest`` of the police.uk zips), checked against
counts made straight from the same zips with plain pandas.

Stoke-on-Trent and Cheshire's four local authorities for 2025 (no 2024 is held: the report must
say so, not show a change), and Liverpool and the other Merseyside authorities for 2020 against
2019, whose July police.uk never published: the change compares only the months both years hold.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from scipy import stats

from beatbook.analysis.harm import load_harm_weights
from beatbook.common.policeuk import CRIME_TYPES
from beatbook.opendata.services import ingest_paths
from beatbook.partnerships.assessment_data import (
    AssessmentData,
    AssessmentError,
    assessment_area,
    assessment_make,
)
from beatbook.partnerships.assessment_report import assessment_html, assessment_json
from beatbook.partnerships.models import Assessment
from beatbook.places.services import lsoa_forces_import, lsoa_population_import

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

CHESHIRE = ("Cheshire East", "Cheshire West and Chester", "Warrington", "Halton")
MERSEYSIDE = ("Liverpool", "Knowsley", "Sefton", "St. Helens", "Wirral")
ZIPS = ("staffordshire-2025.zip", "cheshire-2025.zip", "merseyside-2018-2021.zip")


@pytest.fixture(scope="module")
def loaded(shared_data: Path, django_db_setup: None, django_db_blocker: object) -> Iterator[Path]:
    """The LSOA tables and the three forces' street files, loaded once for the module."""
    geography = shared_data / "geography"
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        lsoa_population_import(path=geography / "lsoa-2011-population.csv", census=2011)
        lsoa_population_import(path=geography / "lsoa-2021-population.csv", census=2021)
        lsoa_forces_import(path=geography / "lsoa-2011-police-force-lookup.csv")
        ingest_paths(paths=[shared_data / "policeuk" / name for name in ZIPS])
        yield shared_data
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> pd.DataFrame:
    """Every street-level row of the three zips, straight from the CSVs."""
    frames = []
    for name in ZIPS:
        with zipfile.ZipFile(shared_data / "policeuk" / name) as archive:
            for member in sorted(archive.namelist()):
                if member.endswith("-street.csv"):
                    frame = pd.read_csv(
                        archive.open(member),
                        usecols=["Month", "LSOA name", "Crime type"],
                        dtype=str,
                    )
                    frames.append(frame.fillna({"LSOA name": ""}).assign(zip=name))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def population(shared_data: Path) -> pd.DataFrame:
    path = shared_data / "geography" / "lsoa-2021-population.csv"
    # The ONS table ends with a note under a blank line: keep only the rows with a code.
    table = pd.read_csv(path, dtype=str).dropna(subset=["LSOA21CD", "Population"])
    return table.assign(Population=table["Population"].astype(int))


def _counts(raw: pd.DataFrame, authority: str, months: list[str]) -> dict[str, int]:
    rows = raw[raw["LSOA name"].str.startswith(f"{authority} ") & raw["Month"].isin(months)]
    counts = rows["Crime type"].map(CRIME_TYPES).value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def _people(population: pd.DataFrame, authority: str) -> int:
    named = population.iloc[:, 0].str.startswith(f"{authority} ")
    return int(population.loc[named, "Population"].sum())


def _year(year: int, without: tuple[str, ...] = ()) -> list[str]:
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    return [m for m in months if m[5:] not in without]


def _assess(authority: str, year: int) -> AssessmentData:
    return assessment_make(area=assessment_area(text=authority), year=year)


@pytest.mark.parametrize("authority", ["Stoke-on-Trent", *CHESHIRE])
def test_2025_counts_rates_and_harm_match_the_raw_files(
    loaded: Path, raw: pd.DataFrame, population: pd.DataFrame, authority: str
) -> None:
    data = _assess(authority, 2025)
    result = data.result
    expected = _counts(raw, authority, _year(2025))
    people = _people(population, authority)
    cchi, css = load_harm_weights().table("cchi"), load_harm_weights().table("css")

    figures = {row.category: row for row in result.categories}
    assert {k: v.count for k, v in figures.items() if k != "all-crime"} == expected
    assert figures["all-crime"].count == sum(expected.values())
    assert result.population == people
    for category, count in expected.items():
        row = figures[category]
        assert row.rate_per_1000 == pytest.approx(count / people * 1000)
        assert row.harm_cchi == pytest.approx(count * cchi[category])
        assert row.harm_css == pytest.approx(count * css[category])
    # No 2024 is held: said so, and no change is made up.
    assert result.months_missing == []
    assert not result.previous_held
    assert all(row.previous is None and row.change is None for row in result.categories)
    assert all(row.p_value is None for row in result.categories)
    assert "The previous year (2024) is not held" in assessment_html(data)
    summary = json.loads(assessment_json(data))
    assert summary["categories"]["all-crime"]["previous_count"] is None
    assert summary["categories"]["all-crime"]["change"] is None


def test_cheshire_authorities_are_compared_with_each_other_and_the_force(
    loaded: Path, raw: pd.DataFrame, population: pd.DataFrame
) -> None:
    result = _assess("Warrington", 2025).result
    rates = {row.label: row.rate_per_1000 for row in result.area_rates}

    for authority in CHESHIRE:
        count = sum(_counts(raw, authority, _year(2025)).values())
        assert rates[authority] == pytest.approx(count / _people(population, authority) * 1000)
    # The force: every crime in its files, per resident of its local authorities.
    assert result.force_label == "Cheshire Constabulary"
    in_force = sum(_people(population, authority) for authority in CHESHIRE)
    force_rows = raw[raw["zip"] == "cheshire-2025.zip"]
    assert result.all_crime.force_rate_per_1000 == pytest.approx(len(force_rows) / in_force * 1000)


@pytest.mark.parametrize("authority", MERSEYSIDE)
def test_2020_against_2019_compares_only_the_months_both_hold(
    loaded: Path, raw: pd.DataFrame, authority: str
) -> None:
    data = _assess(authority, 2020)
    result = data.result
    both = _year(2020, without=("07",))
    before = [f"2019-{m[5:]}" for m in both]
    now, then = _counts(raw, authority, both), _counts(raw, authority, before)

    assert result.months_missing == []
    assert result.previous_months_missing == ["2019-07"]
    assert result.compared_months == both
    figures = {row.category: row for row in result.categories}
    assert figures["all-crime"].count == sum(_counts(raw, authority, _year(2020)).values())
    assert figures["all-crime"].previous == sum(_counts(raw, authority, _year(2019)).values())
    for category in sorted(set(now) | set(then)):
        row = figures[category]
        n1, n0 = now.get(category, 0), then.get(category, 0)
        assert (row.compared_count, row.compared_previous) == (n1, n0)
        assert row.change == n1 - n0
        assert row.p_value == pytest.approx(stats.binomtest(n1, n1 + n0, 0.5).pvalue)
    assert "July 2019" in assessment_html(data)


def test_2019_lists_its_missing_july_in_the_report(loaded: Path, raw: pd.DataFrame) -> None:
    data = _assess("Liverpool", 2019)

    assert data.result.months_missing == ["2019-07"]
    assert data.result.all_crime.count == sum(_counts(raw, "Liverpool", _year(2019)).values())
    assert "Months of 2019 with no police.uk data held: July 2019" in assessment_html(data)
    assert json.loads(assessment_json(data))["months_missing"] == ["2019-07"]


def test_the_command_gives_the_same_bytes_twice(loaded: Path, tmp_path: Path) -> None:
    outputs = []
    for run in ("one", "two"):
        folder = tmp_path / run
        folder.mkdir()
        call_command(
            "assess",
            area="Stoke-on-Trent",
            year=2025,
            output=folder / "report.html",
            json=folder / "summary.json",
            stdout=StringIO(),
        )
        outputs.append(
            ((folder / "report.html").read_bytes(), (folder / "summary.json").read_bytes())
        )

    assert outputs[0] == outputs[1]
    summary = json.loads(outputs[0][1])
    assert set(summary["categories"]["all-crime"]) >= {
        "count",
        "previous_count",
        "change",
        "p_value",
        "rate_per_1000",
        "harm",
    }
    assert set(summary["categories"]["all-crime"]["harm"]) == {"cchi", "ons_css"}
    street = {
        (row["force"], row["month"])
        for row in summary["sources"]
        if row["kind"] == "Street-level crime"
    }
    # Cheshire's files too: a crime it recorded in a Stoke-on-Trent LSOA counts.
    assert street == {(force, m) for force in ("cheshire", "staffordshire") for m in _year(2025)}


def test_bad_input_changes_nothing_and_says_why(loaded: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.html"

    with pytest.raises(CommandError, match="No partnership or local authority is called"):
        call_command("assess", area="Atlantis", year=2025, output=report, stdout=StringIO())
    with pytest.raises(
        CommandError, match="No street-level crime is held for Stoke-on-Trent in 2031"
    ):
        call_command("assess", area="Stoke-on-Trent", year=2031, output=report, stdout=StringIO())
    with pytest.raises(AssessmentError, match="between 2000 and 2100"):
        _assess("Stoke-on-Trent", 1066)
    assert not report.exists()
    assert Assessment.objects.count() == 0


def test_crimes_of_a_later_year_leave_this_years_assessment_as_it_was(
    loaded: Path, tmp_path: Path
) -> None:
    before = assessment_json(_assess("Stoke-on-Trent", 2025))
    # A 2026 month as police.uk would publish it: the January file, a year on.
    with zipfile.ZipFile(loaded / "policeuk" / "staffordshire-2025.zip") as archive:
        text = archive.read("2025-01/2025-01-staffordshire-street.csv").decode()
    later = tmp_path / "staffordshire-2026.zip"
    with zipfile.ZipFile(later, "w") as archive:
        archive.writestr(
            "2026-01/2026-01-staffordshire-street.csv", text.replace(",2025-01,", ",2026-01,")
        )
    assert ingest_paths(paths=[later]).files[0].status == "loaded"

    assert assessment_json(_assess("Stoke-on-Trent", 2025)) == before
    assert _assess("Stoke-on-Trent", 2026).result.all_crime.previous is not None
