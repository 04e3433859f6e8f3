"""What tests/surveys/test_surveys_real_data.py reads straight from the real files in
../shared/data with plain pandas, never through Beatbook, and the files it makes from them: the
Census 2021 totals of each neighbourhood's LSOAs, census-style margins, a fieldwork company's
answers file of 20,000 residents, the ONS postcode lookup and Code-Point Open's ST postcodes,
and police.uk's street crimes of one month; and how it runs ``beatbook survey-import`` and
walks a resident through the answering pages.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from django.core.management import CommandError, call_command
from django.test import Client

from beatbook.common.projection import bng_to_wgs84
from beatbook.demo.sample_surveys import CENSUS_2021_SHARES
from beatbook.records.models import SourceFile, SourceKind
from beatbook.surveys.codes import AGE_BANDS, SEXES
from beatbook.surveys.item_bank import BANK_BY_KEY
from beatbook.surveys.models import Answer, Response, Survey, Wave

QUESTIONS = (
    "safe-after-dark",
    "overall-confidence",
    "dealing-with-what-matters",
    "seen-or-heard",
    "foot-patrol",
    "know-contact",
    "priorities",
)
CELLS = [(age, sex) for age, _ in AGE_BANDS for sex, _ in SEXES]
# Who sends a postal survey back: older people and women far more often than the young and men.
AGE_PROPENSITY = dict(
    zip([age for age, _ in AGE_BANDS], (0.3, 0.45, 0.7, 0.9, 1.2, 1.6, 1.4), strict=True)
)
SEX_PROPENSITY = {"female": 1.35, "male": 0.75}
UNANSWERED = 0.05  # of each question
NOT_SAID = 0.02  # of age band, and of sex
FIELDWORK_COLUMNS = ("respondent_id", "area", "age_band", "sex", *QUESTIONS)


# --- Census 2021 totals and margins -----------------------------------------------------------


def population_2021(shared: Path) -> pd.DataFrame:
    """lsoa-2021-population.csv as code, name and population (the note under it dropped)."""
    table = pd.read_csv(shared / "geography" / "lsoa-2021-population.csv", dtype=str)
    table = table.dropna(subset=["LSOA21CD", "Population"])
    return pd.DataFrame(
        {
            "code": table["LSOA21CD"],
            "name": table.iloc[:, 0],
            "population": table["Population"].astype(int),
        }
    )


def lsoa_2011_names(shared: Path) -> dict[str, str]:
    table = pd.read_csv(
        shared / "geography" / "lsoa-2011-population.csv",
        usecols=["LSOA Code", "LSOA Name"],
        dtype=str,
    ).dropna()
    return dict(zip(table["LSOA Code"], table["LSOA Name"], strict=True))


def neighbourhood_totals_2021(
    shared: Path, lsoas: Mapping[str, Sequence[str]]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Each neighbourhood's Census 2021 residents, summed from the 2021 table, and the 2021
    LSOAs summed for it.

    Neighbourhoods are made of 2011 LSOAs. Most 2011 codes are 2021 codes too; an LSOA split
    (or merged) in 2021 has new codes, named in the same MSOA ("Stoke-on-Trent 016B" became
    016H to 016K): they count for the neighbourhood that held the 2011 LSOAs they replaced.
    """
    table = population_2021(shared)
    people = dict(zip(table["code"], table["population"], strict=True))
    names_2011 = lsoa_2011_names(shared)
    new = table[~table["code"].isin(names_2011)]
    new_by_msoa = new.groupby(new["name"].str[:-1])["code"].agg(list).to_dict()
    counted: dict[str, list[str]] = {}
    for hood, codes in lsoas.items():
        kept = [code for code in codes if code in people]
        gone_msoas = {names_2011[code][:-1] for code in codes if code not in people}
        counted[hood] = kept + [c for msoa in sorted(gone_msoas) for c in new_by_msoa[msoa]]
    _check_whole_msoas(lsoas, names_2011, people)
    return {hood: sum(people[c] for c in codes) for hood, codes in counted.items()}, counted


def _check_whole_msoas(
    lsoas: Mapping[str, Sequence[str]], names_2011: dict[str, str], people: dict[str, int]
) -> None:
    """The 2011 LSOAs gone in 2021 of one MSOA all lie in one neighbourhood, so where their
    successors belong is not in doubt."""
    homes: dict[str, set[str]] = {}
    for hood, codes in lsoas.items():
        for code in codes:
            if code not in people:
                homes.setdefault(names_2011[code][:-1], set()).add(hood)
    assert all(len(hoods) == 1 for hoods in homes.values()), homes


def margins_csv(totals: Mapping[str, int]) -> str:
    """A census-style margins file: each neighbourhood's total split over age band and sex.

    No table of residents by age and sex is in ../shared/data (only LSOA totals), so each
    real total is split by fixed shares: the demo's approximate England and Wales shares
    (``CENSUS_2021_SHARES``), by largest remainders so the cells add up to the total exactly.
    """
    rows = []
    shares = np.array([CENSUS_2021_SHARES[cell] for cell in CELLS]) / 100
    for hood, total in sorted(totals.items()):
        exact = shares * total
        cells = np.floor(exact).astype(int)
        short = total - int(cells.sum())
        cells[np.argsort(-(exact - cells), kind="stable")[:short]] += 1
        rows += [(hood, age, sex, int(n)) for (age, sex), n in zip(CELLS, cells, strict=True)]
    frame = pd.DataFrame(rows, columns=["area", "age_band", "sex", "population"])
    return str(frame.to_csv(index=False, lineterminator="\n"))


# --- A fieldwork company's file -----------------------------------------------------------------


def _people(rng: np.random.Generator, margins: pd.DataFrame, size: int) -> pd.DataFrame:
    """``size`` residents spread over the neighbourhoods by population, their age and sex
    skewed by who returns a postal survey."""
    propensity = margins["age_band"].map(AGE_PROPENSITY) * margins["sex"].map(SEX_PROPENSITY)
    chance = (margins["population"] * propensity).to_numpy(dtype=float)
    picked = rng.choice(len(margins), size=size, p=chance / chance.sum())
    people = margins.iloc[picked][["area", "age_band", "sex"]].reset_index(drop=True)
    people.loc[rng.random(size) < NOT_SAID, "age_band"] = np.nan
    people.loc[rng.random(size) < NOT_SAID, "sex"] = np.nan
    return people


def _lean(people: pd.DataFrame) -> np.ndarray:
    """How much a resident leans towards a question's later answers: with age, and for women,
    so that weighting changes the figures."""
    ages = [age for age, _ in AGE_BANDS]
    age = people["age_band"].map({a: i / (len(ages) - 1) for i, a in enumerate(ages)})
    return (age.fillna(0.5) + (people["sex"] == "female") * 0.4).to_numpy(dtype=float)


def _choices(rng: np.random.Generator, codes: list[str], lean: np.ndarray) -> np.ndarray:
    base = rng.dirichlet(np.full(len(codes), 3.0))
    tilt = np.exp(np.outer(lean - 0.7, np.linspace(-1.2, 1.2, len(codes))))
    chance = base * tilt
    cumulative = np.cumsum(chance / chance.sum(axis=1, keepdims=True), axis=1)
    drawn = (cumulative < rng.random(len(lean))[:, None]).sum(axis=1)
    return np.asarray(codes, dtype=object)[np.minimum(drawn, len(codes) - 1)]


def _rankings(rng: np.random.Generator, codes: list[str], limit: int, size: int) -> list[str]:
    keys = np.log(rng.dirichlet(np.full(len(codes), 2.0))) + rng.gumbel(size=(size, len(codes)))
    order = np.argsort(-keys, axis=1)
    counts = rng.integers(1, limit + 1, size=size)
    return [";".join(codes[i] for i in row[:n]) for row, n in zip(order, counts, strict=True)]


def fieldwork_frame(margins: pd.DataFrame, *, size: int, seed: int) -> pd.DataFrame:
    """Residents' answers as a fieldwork company hands them over (``FIELDWORK_COLUMNS``); a
    ranking is its codes joined by ";", most important first; a blank cell was not answered."""
    rng = np.random.default_rng(seed)
    people = _people(rng, margins, size)
    frame = pd.DataFrame({"respondent_id": [f"FW{n:05d}" for n in range(size)]})
    frame = pd.concat([frame, people], axis=1)
    lean = _lean(people)
    for key in QUESTIONS:
        item = BANK_BY_KEY[key]
        codes = [code for code, _, _ in item.options]
        if item.kind == "rank":
            answers = np.asarray(_rankings(rng, codes, item.rank_limit, size), dtype=object)
        else:
            answers = _choices(rng, codes, lean)
        answers[rng.random(size) < UNANSWERED] = None
        frame[key] = answers
    return frame


def fieldwork_read(path: Path) -> pd.DataFrame:
    """The fieldwork file as ``beatbook survey-estimate`` reads it: text, blanks missing."""
    return pd.read_csv(path, dtype=str)


def codes_in(frame: pd.DataFrame) -> int:
    """How many answer codes the file's question cells hold: one stored answer each."""
    return sum(
        len([code for code in cell.split(";") if code])
        for key in QUESTIONS
        for cell in frame[key].dropna()
    )


# --- Postcodes: Code-Point Open and the ONS lookup ------------------------------------------------


def code_point(shared: Path, area: str = "st") -> pd.DataFrame:
    """One postcode area of Code-Point Open, with positions in WGS84."""
    columns = ["postcode", "quality", "easting", "northing"]
    with zipfile.ZipFile(shared / "postcodes" / "codepo_gb.zip") as archive:
        table = pd.read_csv(
            archive.open(f"Data/CSV/{area}.csv"), header=None, usecols=[0, 1, 2, 3], dtype=str
        )
    table.columns = columns
    table = table[table["quality"] != "90"].copy()
    lat, lng = bng_to_wgs84(
        easting=table["easting"].astype(float).to_numpy(),
        northing=table["northing"].astype(float).to_numpy(),
    )
    return table.assign(
        postcode=table["postcode"].str.split().str.join(" "), latitude=lat, longitude=lng
    )


def ons_lookup(shared: Path) -> pd.DataFrame:
    """The ONS postcode to LSOA 2011 lookup: postcodes still in use only."""
    table = pd.read_csv(
        shared / "postcodes" / "ons-postcode-lsoa11-lookup-may22-extract.csv.gz",
        usecols=["pcds", "doterm", "lsoa11cd", "ladnm"],
        dtype=str,
    )
    live = table[table["doterm"].isna()]
    return live.rename(columns={"pcds": "postcode"})[["postcode", "lsoa11cd", "ladnm"]]


def well_inside(points: pd.DataFrame, boundaries: Mapping[str, object], metres: float) -> pd.Series:
    """Whether each postcode lies at least ``metres`` inside its ONS LSOA's boundary as held
    (super generalised): one so near an edge could fall either side of a simplified line."""
    degrees = metres / 111_000  # of latitude; a little more than that of longitude here
    shrunk = {
        code: shapely.buffer(shapely.geometry.shape(boundary), -degrees)
        for code, boundary in boundaries.items()
    }
    return pd.Series(
        [
            code in shrunk and bool(shapely.contains_xy(shrunk[code], lng, lat))
            for code, lat, lng in zip(
                points["lsoa11cd"], points["latitude"], points["longitude"], strict=True
            )
        ],
        index=points.index,
    )


# --- police.uk street crime ---------------------------------------------------------------------


def street_month(shared: Path, month: str) -> pd.DataFrame:
    """One month of Staffordshire's street-level crimes, straight from the zip."""
    with zipfile.ZipFile(shared / "policeuk" / "staffordshire-2025.zip") as archive:
        return pd.read_csv(
            archive.open(f"{month}/{month}-staffordshire-street.csv"),
            usecols=["Longitude", "Latitude", "LSOA code"],
            dtype={"LSOA code": str},
        )


def crimes_inside(crimes: pd.DataFrame, boundary: object) -> int:
    shape = shapely.geometry.shape(boundary)
    placed = crimes.dropna(subset=["Longitude", "Latitude"])
    inside = shapely.intersects_xy(shape, placed["Longitude"], placed["Latitude"])
    return int(np.count_nonzero(inside))


# --- Importing and answering ------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    responses: int
    answers: int
    files: int


@dataclass(frozen=True)
class Imports:
    """What ``beatbook survey-import`` said, and what the wave held after each run."""

    refused: str
    after_refused: Stored
    first: str
    after_first: Stored
    again: str
    after_again: Stored


def stored(wave: Wave) -> Stored:
    return Stored(
        responses=Response.objects.filter(wave=wave).count(),
        answers=Answer.objects.filter(response__wave=wave).count(),
        files=SourceFile.objects.filter(kind=SourceKind.SURVEY_ANSWERS).count(),
    )


def _import(survey: Survey, wave: Wave, path: Path) -> str:
    out = StringIO()
    # ``beatbook survey-import`` is the management command survey_import.
    call_command("survey_import", survey=survey.slug, wave=wave.slug, file=path, stdout=out)
    return out.getvalue()


def imports_run(survey: Survey, wave: Wave, path: Path, bad: Path) -> Imports:
    """The copy with one unknown answer code first, then the file, then the file again."""
    with pytest.raises(CommandError, match="was not loaded") as refused:
        _import(survey, wave, bad)
    after_refused = stored(wave)
    first = _import(survey, wave, path)
    after_first = stored(wave)
    again = _import(survey, wave, path)
    return Imports(str(refused.value), after_refused, first, after_first, again, stored(wave))


def _answers_for(rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    pages = []
    for key in QUESTIONS:
        item = BANK_BY_KEY[key]
        codes = [code for code, _, _ in item.options]
        if item.kind == "rank":
            chosen = rng.sample(codes, item.rank_limit)
            data = {f"rank_{n}": code for n, code in enumerate(chosen, start=1)}
        else:
            data = {"answer": rng.choice(codes)}
        pages.append((f"questions/{key}/", data))
    return pages


def answer_online(client: Client, slug: str, postcode: str, rng: random.Random) -> None:
    start = f"/surveys/{slug}/"
    pages = [
        ("about-you/postcode/", {"answer": postcode}),
        ("about-you/age/", {"answer": rng.choice(["16-24", "35-44", "65-74", "75+"])}),
        ("about-you/sex/", {"answer": rng.choice(["female", "male"])}),
        *_answers_for(rng),
        ("about-you/contact/", {}),
    ]
    assert client.post(start, {"consent": "on"}).status_code == 302
    for page, data in pages:
        response = client.post(start + page, data)
        assert response.status_code == 302, (postcode, page, response.content.decode()[:500])
    assert client.post(start + "check/", {})["Location"] == start + "sent/"
