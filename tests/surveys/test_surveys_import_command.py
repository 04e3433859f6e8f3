"""``beatbook survey-import``: a fieldwork file loaded from the command line, with columns
mapped by ``--map``; a bad file stores nothing and says why; the same file again changes
nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from beatbook.surveys.models import Answer, Response

from .survey_world import SurveyWorld, survey_world_make

pytestmark = pytest.mark.django_db

FILE = (
    "RespID,Area,safe-after-dark,Q2,Notes\n"
    "F1,Longton,very-safe,yes,\n"
    "F2,SOT-MEIR,a-bit-unsafe,no,called by phone\n"
)
MAP = ["RespID=respondent_id", "Area=neighbourhood", "Q2=seen-or-heard", "Notes=ignore"]


@pytest.fixture
def world(settings: Any) -> SurveyWorld:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return survey_world_make()


def _run(path: Path, *maps: str, wave: str = "august-2023") -> str:
    out = StringIO()
    arguments = ["--survey", "perceptions", "--wave", wave, "--file", str(path)]
    for pair in maps:
        arguments += ["--map", pair]
    call_command("survey_import", *arguments, stdout=out)
    return out.getvalue()


def test_the_command_loads_a_file_with_its_columns_mapped(
    world: SurveyWorld, tmp_path: Path
) -> None:
    path = tmp_path / "fieldwork.csv"
    path.write_text(FILE)

    printed = _run(path, *MAP)

    assert "Loaded 2 answers from fieldwork.csv" in printed
    rows = Response.objects.order_by("external_id")
    assert [(r.external_id, r.neighbourhood.name) for r in rows] == [
        ("F1", "Longton"),
        ("F2", "Meir"),
    ]
    seen = Answer.objects.filter(question__code="seen-or-heard").order_by("response__external_id")
    assert [a.option.code for a in seen] == ["yes", "no"]


def test_the_same_file_twice_is_loaded_once(world: SurveyWorld, tmp_path: Path) -> None:
    path = tmp_path / "fieldwork.csv"
    path.write_text(FILE)
    _run(path, *MAP)

    printed = _run(path, *MAP)

    assert "already loaded into August 2023: nothing changed" in printed
    assert Response.objects.count() == 2


def test_a_bad_file_stores_nothing_and_names_each_problem(
    world: SurveyWorld, tmp_path: Path
) -> None:
    path = tmp_path / "fieldwork.csv"
    path.write_text(FILE + "F3,Crewe,quite-safe,yes,\n")

    with pytest.raises(CommandError) as refused:
        _run(path, *MAP)

    message = str(refused.value)
    assert "fieldwork.csv was not loaded; nothing was stored" in message
    assert "row 4 (F3): safe-after-dark: quite-safe is not one of its answers" in message
    assert "row 4 (F3): Crewe is outside the survey's area" in message
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"wave": "march"}, r"has no wave 'march' \(its waves: august-2023\)"),
        ({"maps": ["Nope=sex"]}, "give it as column=question_code, with a column of the file"),
        ({"maps": ["Q2"]}, "give it as column=question_code"),
        ({"maps": []}, "Choose the column that holds the respondent id"),
    ],
)
def test_wrong_arguments_are_refused_saying_why(
    world: SurveyWorld, tmp_path: Path, arguments: dict[str, Any], message: str
) -> None:
    path = tmp_path / "fieldwork.csv"
    path.write_text(FILE)

    with pytest.raises(CommandError, match=message):
        _run(path, *arguments.get("maps", MAP), wave=arguments.get("wave", "august-2023"))

    assert not Response.objects.exists()


def test_a_missing_file_or_survey_is_refused(world: SurveyWorld, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no file"):
        _run(tmp_path / "missing.csv")
    path = tmp_path / "fieldwork.csv"
    path.write_text(FILE)
    with pytest.raises(CommandError, match="no survey with the address 'nope'"):
        call_command("survey_import", "--survey", "nope", "--wave", "w", "--file", str(path))
