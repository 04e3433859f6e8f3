"""``beatbook survey-estimate`` on real CSV files (issue 17)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from beatbook.surveys.management.commands.survey_estimate import Command

RESPONSES = """respondent_id,area,age_band,sex,safe_after_dark,priorities
1,North,16-24,female,agree,drugs;speeding
2,North,65+,male,disagree,speeding
3,North,65+,female,agree,
4,South,16-24,male,agree,drugs
5,South,65+,,disagree,litter
6,South,65+,female,,drugs
"""
MARGINS = """area,age_band,sex,population
North,16-24,female,120
North,16-24,male,130
North,65+,female,200
North,65+,male,150
South,16-24,female,90
South,16-24,male,110
South,65+,female,160
South,65+,male,140
"""
ROW_KEYS = {
    "question",
    "answer",
    "area",
    "estimate",
    "ci_low",
    "ci_high",
    "n",
    "effective_n",
    "small",
    "suppressed",
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    responses, margins = tmp_path / "R.csv", tmp_path / "M.csv"
    responses.write_text(RESPONSES)
    margins.write_text(MARGINS)
    return responses, margins


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(Command(), *args, stdout=out)
    return out.getvalue()


def test_json_gives_every_question_answer_and_area_with_the_notes(
    files: tuple[Path, Path], settings: Settings
) -> None:
    settings.SURVEY_SUPPRESS_BELOW = 3
    settings.SURVEY_FLAG_BELOW = 4
    responses, margins = files
    output = json.loads(
        _run("--responses", str(responses), "--margins", str(margins), "--by", "area", "--json")
    )
    rows = output["estimates"]
    assert all(set(row) == ROW_KEYS for row in rows)
    keyed = {(row["question"], row["answer"], row["area"]): row for row in rows}
    assert {area for _, _, area in keyed} == {"all", "North", "South"}
    # North: all three answered safe_after_dark; the two who agreed are women.
    north = keyed[("safe_after_dark", "agree", "North")]
    assert north["n"] == 3
    assert north["suppressed"] is False
    assert 0 < north["ci_low"] < north["estimate"] < north["ci_high"] < 1
    assert north["small"] is True
    # South: two answered safe_after_dark, fewer than 3: suppressed, no figures.
    south = keyed[("safe_after_dark", "agree", "South")]
    assert south["n"] == 2
    assert south["suppressed"] is True
    assert south["estimate"] is south["ci_low"] is south["ci_high"] is None
    assert keyed[("priorities", "speeding", "all")]["n"] == 5
    assert output["notes"][0].startswith("1 respondents gave no age band or no sex")


def test_without_by_area_only_the_whole_area(files: tuple[Path, Path]) -> None:
    responses, margins = files
    output = json.loads(_run("--responses", str(responses), "--margins", str(margins), "--json"))
    assert {row["area"] for row in output["estimates"]} == {"all"}


def test_the_table_says_what_is_suppressed_and_small(
    files: tuple[Path, Path], settings: Settings
) -> None:
    settings.SURVEY_SUPPRESS_BELOW = 3
    responses, margins = files
    text = _run("--responses", str(responses), "--margins", str(margins), "--by", "area")
    assert "Weighted estimates with 95% intervals" in text
    assert "suppressed" in text
    assert "(small)" in text
    assert "Suppressed: fewer than 3 answered. Small: an effective sample below 100." in text
    assert "Note: 1 respondents gave no age band or no sex" in text


@pytest.mark.parametrize(
    ("responses", "margins", "wording"),
    [
        (RESPONSES, MARGINS.replace("South,16-24,male,110\n", ""), "South / 16-24 / male"),
        (RESPONSES, MARGINS.replace("North,65+,male,150", "North,65+,male,lots"), "not numbers"),
        (RESPONSES.replace("age_band,", "age,"), MARGINS, "no age_band column"),
        (RESPONSES.replace("\n2,", "\n1,"), MARGINS, "more than once: 1"),
        (RESPONSES.replace("65+,female,agree", "70+,female,agree"), MARGINS, "age bands.*70\\+"),
        (RESPONSES, "", "cannot be read as CSV"),
    ],
)
def test_bad_files_are_refused_saying_why_and_print_nothing(
    tmp_path: Path, responses: str, margins: str, wording: str
) -> None:
    (tmp_path / "R.csv").write_text(responses)
    (tmp_path / "M.csv").write_text(margins)
    out = io.StringIO()
    with pytest.raises(CommandError, match=wording):
        call_command(
            Command(),
            "--responses",
            str(tmp_path / "R.csv"),
            "--margins",
            str(tmp_path / "M.csv"),
            "--json",
            stdout=out,
        )
    assert out.getvalue() == ""


def test_a_missing_file_is_named(tmp_path: Path, files: tuple[Path, Path]) -> None:
    with pytest.raises(CommandError, match="The margins file .*nowhere.csv does not exist"):
        _run("--responses", str(files[0]), "--margins", str(tmp_path / "nowhere.csv"))


def _beatbook(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "beatbook.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, "BEATBOOK_SURVEY_SUPPRESS_BELOW": "2"},
    )


def test_the_beatbook_command_end_to_end(files: tuple[Path, Path], tmp_path: Path) -> None:
    responses, margins = files
    done = _beatbook(
        "survey-estimate", "--responses", "R.csv", "--margins", "M.csv", "--json", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["estimates"]
    assert {row["suppressed"] for row in rows} == {False}
    margins.write_text(MARGINS.replace("South,16-24,male,110\n", ""))
    refused = _beatbook(
        "survey-estimate", "--responses", "R.csv", "--margins", "M.csv", "--json", cwd=tmp_path
    )
    assert refused.returncode != 0
    assert refused.stdout == ""
    assert "South / 16-24 / male (1 respondents)" in refused.stderr
