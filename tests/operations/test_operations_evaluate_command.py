"""``beatbook evaluate``: the before-and-after evaluation of an area from the command line, on a
made-up force loaded through the real import (tests/street_files.py).

It prints one JSON object with the issue's keys, or a short summary; later data changes nothing
it printed; it agrees with the pure ``analysis.evaluation.evaluate`` on the same rows; bad input
gets a one-line error, a non-zero exit and no change to the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from beatbook.analysis.evaluation import NO_CHANGE, TOO_EARLY, evaluate
from beatbook.common.months import month_range
from beatbook.opendata.models import Crime
from beatbook.opendata.services import ingest_paths
from beatbook.operations.evaluations import (
    EvaluationInputError,
    StartAfterDataError,
    evaluation_for_area,
)
from street_files import FORCE, lsoa_code, write_street_month

KEYS = {
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "verdict",
    "comparison",
    "months_before",
    "months_after",
    "method",
}
HELD = month_range("2019-07", "2020-06")  # nine months before 2020-04, and three after
LATER = month_range("2020-07", "2020-12")
AREA = [lsoa_code(10), lsoa_code(11)]
LSOAS = ",".join(AREA)
START = "2020-04"


def _load(folder: Path, months: list[str], **kwargs: Any) -> None:
    folder.mkdir(exist_ok=True)
    paths = [write_street_month(folder, month, **kwargs) for month in months]
    summary = ingest_paths(paths=paths)
    assert {result.status for result in summary.files} == {"loaded"}


@pytest.fixture
def force_data(db: None, tmp_path: Path) -> Path:
    _load(tmp_path / "held", HELD)
    return tmp_path


def _evaluate(*args: str, **options: Any) -> str:
    out = StringIO()
    call_command("evaluate", *args, stdout=out, **options)
    return out.getvalue()


def _json(**options: Any) -> dict[str, Any]:
    options = {"force": FORCE, "lsoas": LSOAS, "start": START, "json": True, **options}
    result: dict[str, Any] = json.loads(_evaluate(**options))
    return result


def test_it_prints_one_json_object_with_the_issues_keys(force_data: Path) -> None:
    result = _json()

    assert set(result) == KEYS
    assert result["ci_low"] <= result["estimate"] <= result["ci_high"]
    assert 0 < result["p_value"] <= 1
    assert (result["months_before"], result["months_after"]) == (9, 3)
    assert result["comparison"]
    assert not set(result["comparison"]) & set(AREA)
    assert result["verdict"] == NO_CHANGE  # nothing was changed in the made-up force


def test_it_finds_a_rise_that_is_there(tmp_path: Path, db: None) -> None:
    before, after = HELD[:9], HELD[9:]
    _load(tmp_path / "before", before)
    _load(tmp_path / "after", after, extra={10: 20, 11: 20})

    result = _json()

    assert result["p_value"] < 0.05
    assert result["ci_low"] > 0
    assert result["verdict"].startswith("rose by about")


def test_later_data_changes_nothing(force_data: Path) -> None:
    """Months after the window (with more crime in the area, and an LSOA first seen then)
    are published: the answer already given stays exactly the same."""
    before = {
        category: _json(category=category, months=months)
        for category in (None, "burglary")
        for months in (1, 3)
    }

    _load(force_data / "later", LATER, extra={10: 50, 11: 50, 60: 9})

    after = {
        category: _json(category=category, months=months)
        for category in (None, "burglary")
        for months in (1, 3)
    }
    assert after == before
    assert _json(start="2020-07") != before[None]  # the later months are really there


def test_it_agrees_with_the_pure_evaluation_of_the_same_rows(force_data: Path) -> None:
    _load(force_data / "later", LATER, extra={10: 7, 60: 9})
    crimes = pd.DataFrame.from_records(
        Crime.objects.filter(force_id=FORCE)
        .order_by("month", "id")
        .values("month", "category", "lsoa_code", "lsoa_name")
    )

    for category in (None, "burglary", "anti-social-behaviour"):
        for start, months in ((START, 3), ("2020-09", 2), ("2020-11", 3)):
            expected = evaluate(crimes, AREA, start, months_after=months, category=category)
            result = evaluation_for_area(
                force_id=FORCE,
                lsoa_codes=AREA,
                start=start,
                months_after=months,
                category=category,
            )
            assert result.evaluation == expected, (category, start, months)


def test_too_early_to_tell_when_the_months_after_are_not_all_published(
    force_data: Path,
) -> None:
    result = _json(start="2020-05", months=3)

    assert result["verdict"] == TOO_EARLY
    assert result["estimate"] is result["p_value"] is None
    assert (result["months_before"], result["months_after"]) == (10, 3)


def test_without_json_it_prints_a_summary_in_plain_english(force_data: Path) -> None:
    text = _evaluate(force=FORCE, lsoas=LSOAS, start=START, category="burglary")

    assert text.startswith("Merseyside Police, 2 LSOAs, burglary, 3 months from April 2020.")
    assert f"Verdict: {NO_CHANGE}." in text
    assert "95% interval" in text
    assert "9 months before the start" in text

    early = _evaluate(force=FORCE, lsoas=LSOAS, start="2020-06")
    assert "Too early to tell." in early


def _snapshot() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"force": "atlantis"}, "No force has the id 'atlantis'"),
        ({"force": "kent"}, "No street-level crime is loaded for Kent Police"),
        (
            {"lsoas": f"{lsoa_code(10)},E01999999,W01999998"},
            "2 of the area's LSOAs have no crime in Merseyside Police's street data: "
            "E01999999, W01999998.",
        ),
        ({"lsoas": f"{lsoa_code(10)},E0100001,Knowsley"}, "Not LSOA codes (E01 or W01"),
        ({"lsoas": " , "}, "The area has no LSOAs"),
        ({"start": "2020-13"}, "The start month must be a month written YYYY-MM"),
        ({"start": "April 2020"}, "The start month must be a month written YYYY-MM"),
        ({"start": "2019-01"}, "The start month 2019-01 is before Merseyside Police's data"),
        ({"start": "2021-01"}, "The start month 2021-01 is after Merseyside Police's data"),
        ({"start": "2019-10"}, "Only 3 months before 2019-10 are held"),
        ({"category": "burglery"}, "'burglery' is not a police.uk crime category"),
        ({"category": "Burglary"}, "'Burglary' is not a police.uk crime category"),
        ({"months": 0}, "The months after the start must be 1 or more, not 0"),
        ({"months": -2}, "The months after the start must be 1 or more, not -2"),
        ({"months": 25}, "must be 1 to 24, not 25"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_changes_nothing(
    force_data: Path, options: dict[str, Any], message: str
) -> None:
    before = _snapshot()

    with pytest.raises(CommandError) as error:
        _json(**options)

    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert _snapshot() == before


def test_the_service_raises_its_own_error_for_every_bad_input(force_data: Path) -> None:
    """The operation's page tells bad input from a fault by the exception's class."""
    for options in ({"force_id": "atlantis"}, {"start": "2020-13"}, {"start": "2019-10"}):
        arguments: dict[str, Any] = {
            "force_id": FORCE,
            "lsoa_codes": AREA,
            "start": START,
            **options,
        }
        with pytest.raises(EvaluationInputError):
            evaluation_for_area(**arguments)


def test_a_start_after_the_data_is_its_own_error_for_the_page(force_data: Path) -> None:
    with pytest.raises(StartAfterDataError, match="nothing from the start is published yet"):
        evaluation_for_area(force_id=FORCE, lsoa_codes=AREA, start="2020-07")


def _beatbook() -> list[str]:
    """The installed ``beatbook`` script (``beatbook.cli:main``), or its entry point run by
    this Python where the project is not installed."""
    script = Path(sys.executable).with_name("beatbook")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from beatbook.cli import main; main()"]


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_beatbook(), *args], env=env, capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_the_beatbook_command_on_a_fresh_database(tmp_path: Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    for month in HELD:
        write_street_month(files, month)
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    env["BEATBOOK_DATA_DIR"] = str(tmp_path)
    assert _run(["ingest", str(files)], env, tmp_path).returncode == 0

    done = _run(
        ["evaluate", "--force", FORCE, "--lsoas", LSOAS, "--start", START, "--json"],
        env,
        tmp_path,
    )

    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout)) == KEYS
    assert done.stdout.count("\n") == 1  # one JSON object on one line

    refused = _run(
        ["evaluate", "--force", FORCE, "--lsoas", "E01999999", "--start", START, "--json"],
        env,
        tmp_path,
    )

    assert refused.returncode != 0
    assert refused.stdout == ""
    assert refused.stderr.strip().splitlines() == [
        "CommandError: 1 of the area's LSOAs has no crime in Merseyside Police's street "
        "data: E01999999."
    ]
