"""Population margins: how many people live in each neighbourhood of a survey's area in each age
band and sex, the figures its answers are weighted to (``analysis.survey_weights``).

They come from a census-style CSV with the columns ``area`` (a neighbourhood's code or name),
``age_band``, ``sex`` and ``population``; age bands and sexes as codes or as their labels
("16 to 24", "Female"). A load replaces the survey's margins whole or changes nothing: every
problem is listed with the rows it is on, and margins that leave out a neighbourhood of the
area, or a cell of one, are refused, because answers from there could not be weighted.

Beatbook holds no population by age and sex (only LSOA totals), so it never makes these figures
up: ``margin_template_csv`` lists every cell to fill in from the census (ONS Census 2021 usual
residents by sex and age for each LSOA, e.g. table RM200, added up into the age bands and the
neighbourhoods; TS007A has the five-year age bands but not sex).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from beatbook.places.models import Neighbourhood
from beatbook.surveys.codes import AGE_BANDS, SEXES
from beatbook.surveys.models import Margin, Survey
from beatbook.surveys.selectors import survey_neighbourhoods

COLUMNS = ("area", "age_band", "sex", "population")
# Rows named in one message before "and N more": enough to find them, short enough to read.
_ROWS_LISTED = 8
AGE_LABELS = dict(AGE_BANDS)
SEX_LABELS = dict(SEXES)


class MarginError(ValueError):
    """Margins that cannot be loaded: ``problems`` says each reason, naming the rows."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class MarginCell:
    """One neighbourhood's population in one age band and sex."""

    neighbourhood: Neighbourhood
    age_band: str
    sex: str
    population: int


@dataclass(frozen=True)
class NeighbourhoodMargin:
    neighbourhood: Neighbourhood
    population: int | None  # None: no margins loaded for it


@dataclass(frozen=True)
class MarginOverview:
    """What a survey's margins hold: a total per neighbourhood of its area, where from, when."""

    rows: list[NeighbourhoodMargin]
    total: int
    cells: int
    source: str
    loaded_at: datetime | None  # None when nothing is loaded

    @property
    def loaded(self) -> bool:
        return self.cells > 0


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _lookup(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each code, and each label, in any case and spacing, to its code."""
    found: dict[str, str] = {}
    for code, label in pairs:
        found[_key(code)] = code
        found[_key(label)] = code
    return found


AGE_CODES = _lookup(AGE_BANDS)
SEX_CODES = _lookup(SEXES)


def _rows_named(rows: list[int]) -> str:
    shown = ", ".join(str(row) for row in rows[:_ROWS_LISTED])
    more = len(rows) - _ROWS_LISTED
    word = "Row" if len(rows) == 1 else "Rows"
    return f"{word} {shown}" + (f" and {more} more" if more > 0 else "")


class _Problems:
    """Problems by message, each with the rows it is on, in the order first met."""

    def __init__(self) -> None:
        self.rows: dict[str, list[int]] = defaultdict(list)

    def add(self, row: int, message: str) -> None:
        self.rows[message].append(row)

    def listed(self) -> list[str]:
        return [f"{_rows_named(rows)}: {message}" for message, rows in self.rows.items()]


def _text(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" as Windows-1252.
        return content.decode("cp1252", errors="replace")


def _area_finder(survey: Survey) -> tuple[dict[str, Neighbourhood], dict[str, str]]:
    """The survey's neighbourhoods by code and by name; every other neighbourhood's name by its
    code and name, to say it is outside the area rather than unknown."""
    area = list(survey_neighbourhoods(survey=survey))
    inside = {_key(n.name): n for n in area}
    inside.update({_key(n.code): n for n in area})  # a code wins over another's name
    outside: dict[str, str] = {}
    others = Neighbourhood.objects.exclude(pk__in=[n.pk for n in area])
    for name, code, force in others.values_list("name", "code", "force__name"):
        outside.setdefault(_key(code), f"{name} ({force})")
        outside.setdefault(_key(name), f"{name} ({force})")
    return inside, outside


def _population(value: str) -> int | str:
    """The population as a whole number, or what is wrong with it."""
    text = value.strip().replace(",", "")
    if not text:
        return "no population is given"
    try:
        number = float(text)
    except ValueError:
        return f"the population {value.strip()!r} is not a number"
    if number < 0:
        return f"the population {value.strip()} is below zero"
    if number != int(number):
        return f"the population {value.strip()} is not a whole number"
    return int(number)


def _header(reader: csv.DictReader[str]) -> dict[str, str]:
    """Our column names to the file's own (matched whatever their case and spacing)."""
    names = {_key(name): name for name in reader.fieldnames or [] if name}
    return {column: names[column] for column in COLUMNS if column in names}


def _row_cell(
    row: dict[str, str],
    number: int,
    columns: dict[str, str],
    areas: tuple[dict[str, Neighbourhood], dict[str, str]],
    problems: _Problems,
) -> MarginCell | None:
    inside, outside = areas
    area = (row.get(columns["area"]) or "").strip()
    age = (row.get(columns["age_band"]) or "").strip()
    sex = (row.get(columns["sex"]) or "").strip()
    neighbourhood = inside.get(_key(area))
    if not area:
        problems.add(number, "no area is given")
    elif neighbourhood is None and _key(area) in outside:
        problems.add(number, f"{outside[_key(area)]} is outside the survey's area")
    elif neighbourhood is None:
        problems.add(number, f"{area!r} is not a neighbourhood of the survey's area")
    if _key(age) not in AGE_CODES:
        known = ", ".join(label for _, label in AGE_BANDS)
        problems.add(number, f"the age band {age!r} is not one of {known}")
    if _key(sex) not in SEX_CODES:
        known = " or ".join(label for _, label in SEXES)
        problems.add(number, f"the sex {sex!r} is not {known}")
    population = _population(row.get(columns["population"]) or "")
    if isinstance(population, str):
        problems.add(number, population)
    if neighbourhood is None or _key(age) not in AGE_CODES or _key(sex) not in SEX_CODES:
        return None
    if isinstance(population, str):
        return None
    return MarginCell(neighbourhood, AGE_CODES[_key(age)], SEX_CODES[_key(sex)], population)


def _duplicates(cells: list[tuple[int, MarginCell]], problems: _Problems) -> None:
    seen: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for number, cell in cells:
        seen[(cell.neighbourhood.pk, cell.age_band, cell.sex)].append(number)
    names = {cell.neighbourhood.pk: cell.neighbourhood.name for _, cell in cells}
    for (pk, age, sex), numbers in seen.items():
        if len(numbers) > 1:
            named = f"{names[pk]}, {AGE_LABELS[age]}, {SEX_LABELS[sex]}"
            for number in numbers:
                problems.add(number, f"{named} is given more than once")


def margin_cells_read(*, survey: Survey, content: bytes | str) -> list[MarginCell]:
    """The cells a census-style CSV gives for ``survey``, or ``MarginError`` naming every row
    that is wrong and why. Coverage of the area is checked by ``margins_replace``."""
    reader = csv.DictReader(io.StringIO(_text(content)))
    columns = _header(reader)
    if reader.fieldnames is None:
        raise MarginError(["The file is empty: it needs the columns " + ", ".join(COLUMNS)])
    missing = [column for column in COLUMNS if column not in columns]
    if missing:
        raise MarginError(
            [
                f"The file has no {' or '.join(missing)} column: it needs the columns "
                + ", ".join(COLUMNS)
            ]
        )
    areas = _area_finder(survey)
    problems = _Problems()
    cells: list[tuple[int, MarginCell]] = []
    # Row 1 is the header, so the first figures are on row 2, as a spreadsheet numbers them.
    for number, row in enumerate(reader, start=2):
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue  # a blank line, as spreadsheets often leave at the end
        cell = _row_cell(row, number, columns, areas, problems)
        if cell is not None:
            cells.append((number, cell))
    _duplicates(cells, problems)
    if problems.rows:
        raise MarginError(problems.listed())
    if not cells:
        raise MarginError(["The file has a header but no rows of figures"])
    return [cell for _, cell in cells]


def margin_coverage_problems(*, survey: Survey, cells: Sequence[MarginCell]) -> list[str]:
    """What the cells leave out of the survey's area (every neighbourhood, every age band and
    sex of each), or hold twice, or hold from outside it; empty when they can be loaded."""
    area = list(survey_neighbourhoods(survey=survey))
    ids = {n.pk for n in area}
    held: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    problems: list[str] = []
    for cell in cells:
        key = (cell.age_band, cell.sex)
        if cell.neighbourhood.pk not in ids:
            problems.append(f"{cell.neighbourhood.name} is outside the survey's area")
        elif key in held[cell.neighbourhood.pk]:
            problems.append(
                f"{cell.neighbourhood.name}, {AGE_LABELS[cell.age_band]}, "
                f"{SEX_LABELS[cell.sex]} is given more than once"
            )
        elif cell.population < 0:
            problems.append(f"{cell.neighbourhood.name} has a population below zero")
        held[cell.neighbourhood.pk][key] = cell.population
    absent = [n.name for n in area if n.pk not in held]
    if absent:
        problems.append(
            "These neighbourhoods of the survey's area have no figures, so answers from them "
            f"could not be weighted: {', '.join(absent)}"
        )
    every = [(age, sex) for age, _ in AGE_BANDS for sex, _ in SEXES]
    for neighbourhood in area:
        cells_held = held.get(neighbourhood.pk)
        if not cells_held:
            continue
        gaps = [f"{AGE_LABELS[a]} {SEX_LABELS[s]}" for a, s in every if (a, s) not in cells_held]
        if gaps:
            problems.append(f"{neighbourhood.name} has no figure for {', '.join(gaps)}")
        elif sum(cells_held.values()) == 0:
            problems.append(f"{neighbourhood.name} has a population of 0 in every age band")
    return problems


@transaction.atomic
def margins_replace(*, survey: Survey, cells: Sequence[MarginCell], source: str) -> int:
    """Replaces the survey's margins whole with ``cells``, or changes nothing and raises
    ``MarginError`` saying what the cells leave out. Returns how many cells were loaded."""
    problems = margin_coverage_problems(survey=survey, cells=cells)
    if problems:
        raise MarginError(problems)
    now = timezone.now()
    Margin.objects.filter(survey=survey).delete()
    Margin.objects.bulk_create(
        Margin(
            survey=survey,
            neighbourhood=cell.neighbourhood,
            age_band=cell.age_band,
            sex=cell.sex,
            population=cell.population,
            source=source.strip()[:200],
            loaded_at=now,
        )
        for cell in cells
    )
    return len(cells)


def margins_load(*, survey: Survey, content: bytes | str, source: str) -> int:
    """Reads a census-style CSV and replaces the survey's margins with it (all or nothing)."""
    return margins_replace(
        survey=survey, cells=margin_cells_read(survey=survey, content=content), source=source
    )


def margin_template_csv(*, survey: Survey) -> str:
    """Every cell the survey's margins need, with an empty population to fill in."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "neighbourhood_name"])
    for neighbourhood in survey_neighbourhoods(survey=survey):
        for age, _ in AGE_BANDS:
            for sex, _ in SEXES:
                writer.writerow([neighbourhood.code, age, sex, "", neighbourhood.name])
    return out.getvalue()


def margin_overview(*, survey: Survey) -> MarginOverview:
    """The loaded margins' total population for each neighbourhood of the survey's area."""
    margins = Margin.objects.filter(survey=survey)
    totals = dict(
        margins.values_list("neighbourhood_id").annotate(total=Sum("population")).order_by()
    )
    latest = margins.aggregate(at=Max("loaded_at"))["at"]
    first = margins.order_by("-loaded_at", "id").values_list("source", flat=True).first()
    rows = [
        NeighbourhoodMargin(neighbourhood=n, population=totals.get(n.pk))
        for n in survey_neighbourhoods(survey=survey)
    ]
    return MarginOverview(
        rows=rows,
        total=sum(totals.values()),
        cells=margins.count(),
        source=first or "",
        loaded_at=latest,
    )
