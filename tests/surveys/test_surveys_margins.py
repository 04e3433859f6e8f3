"""Population margins from a census-style CSV: loaded whole or not at all, every problem named
with its rows, codes or labels accepted, and ``beatbook survey-margins``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beatbook.places.models import Neighbourhood
from beatbook.surveys.codes import AGE_BANDS, SEXES
from beatbook.surveys.margin_services import (
    MarginCell,
    MarginError,
    margin_overview,
    margin_template_csv,
    margins_load,
    margins_replace,
)
from beatbook.surveys.models import Margin, Survey

from .survey_world import SurveyWorld, survey_world_make

pytestmark = pytest.mark.django_db

HEADER = "area,age_band,sex,population\n"


def full_csv(areas: tuple[str, ...] = ("SOT-LONGTON", "SOT-MEIR"), population: int = 100) -> str:
    """Every cell of the given areas, by code, in order: row 2 is the first area's first cell."""
    lines = [
        f"{area},{age},{sex},{population + index}"
        for area in areas
        for index, (age, sex) in enumerate((a, s) for a, _ in AGE_BANDS for s, _ in SEXES)
    ]
    return HEADER + "\n".join(lines) + "\n"


def with_row(text: str, row: int, line: str) -> str:
    """``text`` with spreadsheet row ``row`` (the header is row 1) replaced by ``line``."""
    lines = text.splitlines()
    lines[row - 1] = line
    return "\n".join(lines) + "\n"


def held(survey: Survey) -> list[tuple[str, str, str, int, str]]:
    return list(
        Margin.objects.filter(survey=survey)
        .order_by("neighbourhood__code", "age_band", "sex")
        .values_list("neighbourhood__code", "age_band", "sex", "population", "source")
    )


@pytest.fixture
def world() -> SurveyWorld:
    return survey_world_make()


@pytest.fixture
def loaded(world: SurveyWorld) -> list[tuple[str, str, str, int, str]]:
    """The world's survey with a first set of margins, which a refused load must leave alone."""
    margins_load(survey=world.survey, content=full_csv(population=50), source="First")
    return held(world.survey)


def refused(world: SurveyWorld, content: str | bytes) -> list[str]:
    with pytest.raises(MarginError) as caught:
        margins_load(survey=world.survey, content=content, source="Second")
    return caught.value.problems


def test_a_whole_file_is_loaded_with_its_source_and_time(world: SurveyWorld) -> None:
    count = margins_load(survey=world.survey, content=full_csv(), source="ONS Census 2021")

    assert count == 2 * len(AGE_BANDS) * len(SEXES) == 28
    rows = held(world.survey)
    assert rows[0] == ("SOT-LONGTON", "16-24", "female", 100, "ONS Census 2021")
    overview = margin_overview(survey=world.survey)
    assert overview.loaded
    assert overview.cells == 28
    assert overview.source == "ONS Census 2021"
    assert overview.loaded_at is not None
    by_name = {row.neighbourhood.name: row.population for row in overview.rows}
    assert by_name == {"Longton": sum(range(100, 114)), "Meir": sum(range(100, 114))}
    assert overview.total == 2 * sum(range(100, 114))


def test_labels_names_and_any_case_are_accepted(world: SurveyWorld) -> None:
    rows = [
        [area, label_age, label_sex.upper() if area == "meir" else label_sex, "1,200"]
        for area in ("Longton", "meir")
        for _, label_age in AGE_BANDS
        for _, label_sex in SEXES
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Area", " Age_Band ", "SEX", "Population", "notes"])
    writer.writerows(rows)

    margins_load(survey=world.survey, content=out.getvalue().encode("utf-8-sig"), source="x")

    codes = {(code, age, sex) for code, age, sex, _, _ in held(world.survey)}
    assert ("SOT-MEIR", "75+", "male") in codes
    assert ("SOT-LONGTON", "16-24", "female") in codes
    assert {population for *_, population, _ in held(world.survey)} == {1200}


def test_a_new_load_replaces_the_margins_whole(world: SurveyWorld, loaded: list[tuple]) -> None:
    margins_load(survey=world.survey, content=full_csv(population=7), source="Second")

    rows = held(world.survey)
    assert len(rows) == len(loaded) == 28
    assert {source for *_, source in rows} == {"Second"}
    assert rows[0][3] == 7


@pytest.mark.parametrize(
    ("row", "line", "expected"),
    [
        (3, "Atlantis,16-24,male,100", "Row 3: 'Atlantis' is not a neighbourhood of the survey's"),
        (4, "CE-CREWE,25-34,female,100", "Row 4: Crewe (Cheshire Constabulary) is outside"),
        (5, "SOT-LONGTON,15-24,male,100", "Row 5: the age band '15-24' is not one of 16 to 24"),
        (6, "SOT-LONGTON,35-44,other,100", "Row 6: the sex 'other' is not Female or Male"),
        (7, "SOT-LONGTON,45-54,female,-3", "Row 7: the population -3 is below zero"),
        (8, "SOT-LONGTON,45-54,male,many", "Row 8: the population 'many' is not a number"),
        (9, "SOT-LONGTON,55-64,female,12.5", "Row 9: the population 12.5 is not a whole number"),
        (10, "SOT-LONGTON,55-64,male,", "Row 10: no population is given"),
        (11, ",65-74,female,100", "Row 11: no area is given"),
    ],
)
def test_a_bad_row_is_named_and_nothing_changes(
    world: SurveyWorld, loaded: list[tuple], row: int, line: str, expected: str
) -> None:
    problems = refused(world, with_row(full_csv(), row, line))

    assert any(problem.startswith(expected) for problem in problems), problems
    assert held(world.survey) == loaded


def test_every_bad_row_is_listed_at_once(world: SurveyWorld, loaded: list[tuple]) -> None:
    text = with_row(full_csv(), 3, "Atlantis,16-24,male,100")
    text = with_row(text, 9, "Atlantis,55-64,female,100")
    text = with_row(text, 12, "SOT-MEIR,65-74,female,x")

    problems = refused(world, text)

    assert "Rows 3, 9: 'Atlantis' is not a neighbourhood of the survey's area" in problems
    assert "Row 12: the population 'x' is not a number" in problems
    assert held(world.survey) == loaded


def test_a_cell_given_twice_names_both_rows(world: SurveyWorld, loaded: list[tuple]) -> None:
    text = full_csv() + "Longton,16 to 24,Female,5\n"

    problems = refused(world, text)

    assert problems == ["Rows 2, 30: Longton, 16 to 24, Female is given more than once"]
    assert held(world.survey) == loaded


def test_a_neighbourhood_missing_from_the_file_is_named(
    world: SurveyWorld, loaded: list[tuple]
) -> None:
    problems = refused(world, full_csv(areas=("SOT-LONGTON",)))

    assert problems == [
        "These neighbourhoods of the survey's area have no figures, so answers from them could "
        "not be weighted: Meir"
    ]
    assert held(world.survey) == loaded


def test_a_missing_cell_is_named(world: SurveyWorld, loaded: list[tuple]) -> None:
    lines = full_csv().splitlines()
    text = "\n".join(lines[:-1]) + "\n"  # Meir's last cell, 75 or over, male

    problems = refused(world, text)

    assert problems == ["Meir has no figure for 75 or over Male"]
    assert held(world.survey) == loaded


def test_a_neighbourhood_of_nobody_is_refused(world: SurveyWorld, loaded: list[tuple]) -> None:
    lines = full_csv().splitlines()
    text = "\n".join(
        line.rsplit(",", 1)[0] + ",0" if line.startswith("SOT-MEIR") else line for line in lines
    )

    problems = refused(world, text)

    assert problems == ["Meir has a population of 0 in every age band"]
    assert held(world.survey) == loaded


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "The file is empty: it needs the columns area, age_band, sex, population"),
        (b"", "The file is empty: it needs the columns area, age_band, sex, population"),
        (HEADER, "The file has a header but no rows of figures"),
        (
            "area,age,sex,people\nSOT-LONGTON,16-24,female,3\n",
            "The file has no age_band or population column: it needs the columns area, "
            "age_band, sex, population",
        ),
    ],
)
def test_an_empty_file_or_missing_columns_are_refused(
    world: SurveyWorld, loaded: list[tuple], content: str | bytes, expected: str
) -> None:
    assert refused(world, content) == [expected]
    assert held(world.survey) == loaded


def test_many_rows_with_one_problem_are_summed_up(world: SurveyWorld) -> None:
    text = full_csv().replace("SOT-LONGTON", "Nowhere")

    problems = refused(world, text)

    assert problems == [
        "Rows 2, 3, 4, 5, 6, 7, 8, 9 and 6 more: 'Nowhere' is not a neighbourhood of the "
        "survey's area"
    ]


def test_a_blank_line_is_skipped_and_a_windows_file_is_read(world: SurveyWorld) -> None:
    text = full_csv().replace("\n", "\r\n") + "\r\n,,,\r\n"

    assert margins_load(survey=world.survey, content=text.encode("cp1252"), source="x") == 28


def test_cells_given_directly_are_checked_the_same_way(
    world: SurveyWorld, loaded: list[tuple]
) -> None:
    """The demo hands cells to ``margins_replace``: a cell outside the area, or one given twice,
    is refused there too."""
    cells = [
        MarginCell(world.longton, age, sex, 10) for age, _ in AGE_BANDS for sex, _ in SEXES
    ] + [MarginCell(world.meir, age, sex, 10) for age, _ in AGE_BANDS for sex, _ in SEXES]
    crewe = MarginCell(world.crewe, "16-24", "male", 10)
    twice = MarginCell(world.meir, "16-24", "male", 11)

    with pytest.raises(MarginError) as caught:
        margins_replace(survey=world.survey, cells=[*cells, crewe, twice], source="demo")

    assert caught.value.problems == [
        "Crewe is outside the survey's area",
        "Meir, 16 to 24, Male is given more than once",
    ]
    assert held(world.survey) == loaded
    assert margins_replace(survey=world.survey, cells=cells, source="demo") == 28


def test_a_whole_force_survey_needs_every_neighbourhood_of_the_force(world: SurveyWorld) -> None:
    world.survey.neighbourhoods.clear()
    Neighbourhood.objects.create(force=world.staffordshire, code="SOT-HANLEY", name="Hanley")

    problems = refused(world, full_csv())

    assert problems == [
        "These neighbourhoods of the survey's area have no figures, so answers from them could "
        "not be weighted: Hanley"
    ]


def test_the_template_lists_every_cell_with_an_empty_population(world: SurveyWorld) -> None:
    rows = list(csv.DictReader(io.StringIO(margin_template_csv(survey=world.survey))))

    assert len(rows) == 28
    assert rows[0] == {
        "area": "SOT-LONGTON",
        "age_band": "16-24",
        "sex": "female",
        "population": "",
        "neighbourhood_name": "Longton",
    }
    assert {row["population"] for row in rows} == {""}
    # Filled in, it loads as it is.
    filled = margin_template_csv(survey=world.survey).replace(",,", ",250,")
    assert margins_load(survey=world.survey, content=filled, source="Template") == 28


# --- beatbook survey-margins -------------------------------------------------------------------


def test_the_command_loads_a_file_and_says_what_it_loaded(
    world: SurveyWorld, tmp_path: Path
) -> None:
    path = tmp_path / "margins.csv"
    path.write_text(full_csv())
    out = io.StringIO()

    call_command(
        "survey_margins", survey="perceptions", file=path, source="Census 2021", stdout=out
    )

    assert out.getvalue().strip() == (
        "Loaded 28 margins for Perceptions Survey: a population of 2,982 in 2 neighbourhoods "
        "(Census 2021)."
    )
    assert {source for *_, source in held(world.survey)} == {"Census 2021"}


def test_the_command_names_the_file_when_no_source_is_given(
    world: SurveyWorld, tmp_path: Path
) -> None:
    path = tmp_path / "margins.csv"
    path.write_text(full_csv())

    call_command("survey_margins", survey="perceptions", file=path, stdout=io.StringIO())

    assert {source for *_, source in held(world.survey)} == {"File margins.csv"}


def test_the_command_lists_every_problem_and_changes_nothing(
    world: SurveyWorld, loaded: list[tuple], tmp_path: Path
) -> None:
    path = tmp_path / "margins.csv"
    path.write_text(with_row(full_csv(areas=("SOT-LONGTON",)), 4, "Longton,16-24,x,1"))

    with pytest.raises(CommandError) as caught:
        call_command("survey_margins", survey="perceptions", file=path)

    assert str(caught.value) == (
        "Nothing was loaded, because:\n  Row 4: the sex 'x' is not Female or Male"
    )
    assert held(world.survey) == loaded


@pytest.mark.parametrize(
    ("survey", "file", "expected"),
    [
        ("no-such-survey", "margins.csv", "No survey has the address 'no-such-survey'."),
        ("perceptions", "missing.csv", "missing.csv is not a file."),
    ],
)
def test_the_command_refuses_an_unknown_survey_or_file(
    world: SurveyWorld, tmp_path: Path, survey: str, file: str, expected: str
) -> None:
    (tmp_path / "margins.csv").write_text(full_csv())

    with pytest.raises(CommandError) as caught:
        call_command("survey_margins", survey=survey, file=tmp_path / file)

    assert str(caught.value).endswith(expected)
    assert held(world.survey) == []
