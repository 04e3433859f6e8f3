"""Survey weights raked to population margins (issue 17), with no Django.

``rake_weights(respondents, margins)`` gives every respondent a weight. Within each area the
respondents who gave an age band and a sex are raked (iterative proportional fitting, done by
weightipy) to that area's age-band totals and sex totals; then each area's weights are scaled to
sum to its population, so that figures for the whole area ("all") count each area by its
population. Respondents with no age band or no sex ("prefer not to say") are kept and take their
area's mean weight. Every departure from plain raking is written in the result's ``notes``.

Respondents: ``respondent_id``, ``area``, ``age_band``, ``sex`` (a blank or NaN age band or sex
means not given). Margins: ``area``, ``age_band``, ``sex``, ``population``, one row per cell.
Areas, age bands and sexes are matched as text. Everything is checked before anything is
computed: margins that do not cover a respondent's cell raise ``MarginsError``, naming the cells.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from weightipy import scheme_from_dict, weight

RESPONDENT_COLUMNS = ("respondent_id", "area", "age_band", "sex")
MARGIN_COLUMNS = ("area", "age_band", "sex", "population")
# Raking matches every margin to within this share of the area's population, or a note says not.
MARGIN_TOLERANCE = 1e-6
_LISTED = 10


class MarginsError(ValueError):
    """The population margins are malformed or do not cover the respondents."""


class ResponsesError(ValueError):
    """The responses are malformed (a missing column, a repeated respondent, an unknown code)."""


@dataclass(frozen=True)
class Weights:
    """One weight per respondent (indexed like the respondents) and what was done to get it."""

    weights: pd.Series
    notes: list[str] = field(default_factory=list)


def kish_effective_n(weights: pd.Series | np.ndarray) -> float:
    """Kish's effective sample size, (sum w)^2 / sum w^2: n for equal weights, less otherwise."""
    values = np.asarray(weights, dtype=float)
    squares = float(np.sum(values**2))
    return float(np.sum(values)) ** 2 / squares if squares > 0 else 0.0


def listed(items: list[str]) -> str:
    """The first few of ``items`` joined for a message, saying how many more there are."""
    shown = ", ".join(items[:_LISTED])
    return shown if len(items) <= _LISTED else f"{shown} and {len(items) - _LISTED} more"


def blank(values: pd.Series) -> pd.Series:
    """True where a code is missing: NaN, None or empty text."""
    return values.isna() | (values.astype(str).str.strip() == "")


def as_codes(values: pd.Series) -> pd.Series:
    """Codes as stripped text, with missing ones as NaN."""
    return values.astype(str).str.strip().where(~blank(values))


def margins_clean(margins: pd.DataFrame) -> pd.DataFrame:
    """The margins as text codes and float populations, or ``MarginsError`` saying what is wrong."""
    missing = [name for name in MARGIN_COLUMNS if name not in margins.columns]
    if missing:
        raise MarginsError(
            f"The margins have no {listed(missing)} column: they need area, age_band, sex and "
            "population."
        )
    clean = pd.DataFrame({name: as_codes(margins[name]) for name in MARGIN_COLUMNS[:3]})
    population = pd.to_numeric(margins["population"], errors="coerce")
    problems = []
    rows = [str(row + 2) for row in np.flatnonzero(clean.isna().any(axis=1).to_numpy())]
    if rows:
        problems.append(f"rows with a blank area, age band or sex (file lines {listed(rows)})")
    bad = population.isna() | ~np.isfinite(population) | (population < 0)
    rows = [str(row + 2) for row in np.flatnonzero(bad.to_numpy())]
    if rows:
        problems.append(
            f"populations that are not numbers of 0 or more (file lines {listed(rows)})"
        )
    repeated = clean[clean.duplicated(keep="first") & ~clean.isna().any(axis=1)]
    if len(repeated):
        cells = [_cell(*row) for row in repeated.drop_duplicates().itertuples(index=False)]
        problems.append(f"cells given more than once: {listed(cells)}")
    if problems:
        raise MarginsError("The margins have " + "; ".join(problems) + ".")
    return clean.assign(population=population.astype(float))


def respondents_clean(respondents: pd.DataFrame) -> pd.DataFrame:
    """Respondents' areas and demographics as text codes, or ``ResponsesError``."""
    missing = [name for name in RESPONDENT_COLUMNS if name not in respondents.columns]
    if missing:
        raise ResponsesError(f"The responses have no {listed(missing)} column.")
    ids = respondents["respondent_id"]
    if blank(ids).any():
        raise ResponsesError("Some responses have no respondent_id.")
    repeated = ids[ids.duplicated()].astype(str).unique().tolist()
    if repeated:
        raise ResponsesError(f"These respondent_ids appear more than once: {listed(repeated)}.")
    no_area = ids[blank(respondents["area"])].astype(str).tolist()
    if no_area:
        raise ResponsesError(f"These respondents have no area: {listed(no_area)}.")
    return pd.DataFrame(
        {name: as_codes(respondents[name]) for name in RESPONDENT_COLUMNS[1:]},
        index=respondents.index,
    )


def _cell(area: object, age_band: object, sex: object) -> str:
    return f"{area} / {age_band} / {sex}"


def margins_cover(people: pd.DataFrame, margins: pd.DataFrame) -> None:
    """``MarginsError`` naming every area and cell of the respondents the margins do not cover."""
    areas = pd.Index(margins["area"].unique())
    no_margins = sorted(set(people["area"]) - set(areas))
    known = people[people["age_band"].notna() & people["sex"].notna()]
    counts = known.groupby(["area", "age_band", "sex"]).size().rename("respondents")
    counts = counts[counts.index.get_level_values("area").isin(areas)].reset_index()
    found = counts.merge(margins, on=["area", "age_band", "sex"], how="left")
    uncovered = found[~(found["population"] > 0)]
    problems = []
    if no_margins:
        problems.append(f"these areas of the responses have no margins: {listed(no_margins)}")
    if len(uncovered):
        cells = [
            f"{_cell(row.area, row.age_band, row.sex)} ({row.respondents} respondents)"
            for row in uncovered.itertuples(index=False)
        ]
        problems.append(
            "these cells (area / age band / sex) have respondents but no population in the "
            f"margins: {listed(cells)}"
        )
    if problems:
        raise MarginsError("The margins do not cover the responses: " + "; ".join(problems) + ".")


def rake_weights(respondents: pd.DataFrame, margins: pd.DataFrame) -> Weights:
    """Weights raked within each area to its age and sex margins, summing to its population.

    Raises ``MarginsError`` or ``ResponsesError`` (both ``ValueError``) before computing anything
    when the inputs are malformed or the margins miss a respondent's area or cell.
    """
    margins = margins_clean(margins)
    people = respondents_clean(respondents)
    margins_cover(people, margins)
    return _weights(people, margins)


@dataclass
class _Area:
    """One area's respondents (positions) and margins as weightipy targets."""

    name: str
    known: np.ndarray
    unknown: np.ndarray
    ages: dict[str, float]
    sexes: dict[str, float]


def _areas(people: pd.DataFrame, margins: pd.DataFrame) -> list[_Area]:
    ages = margins.groupby(["area", "age_band"])["population"].sum()
    sexes = margins.groupby(["area", "sex"])["population"].sum()
    has_known = (people["age_band"].notna() & people["sex"].notna()).to_numpy()
    areas = []
    for name, positions in people.groupby("area", sort=True).indices.items():
        areas.append(
            _Area(
                name=str(name),
                known=positions[has_known[positions]],
                unknown=positions[~has_known[positions]],
                ages={k: v for k, v in ages.loc[name].items() if v > 0},
                sexes={k: v for k, v in sexes.loc[name].items() if v > 0},
            )
        )
    return areas


def _weights(people: pd.DataFrame, margins: pd.DataFrame) -> Weights:
    totals = margins.groupby("area")["population"].sum()
    age_codes = people["age_band"].to_numpy(dtype=object)
    sex_codes = people["sex"].to_numpy(dtype=object)
    values = np.ones(len(people))
    notes: list[str] = []
    # weightipy prints when raking does not converge; the result is checked here instead, and
    # nothing it prints may reach a command's JSON output.
    with contextlib.redirect_stdout(io.StringIO()):
        for area in _areas(people, margins):
            raked = _area_weights(area, age_codes, sex_codes, notes)
            values[np.concatenate([area.known, area.unknown])] = (
                raked * totals[area.name] / raked.sum()
            )
    unknown = int((people["age_band"].isna() | people["sex"].isna()).sum())
    if unknown:
        notes.insert(
            0,
            f"{unknown} respondents gave no age band or no sex (such as 'prefer not to say'): "
            "each takes the average weight of the others in their area.",
        )
    unseen = sorted(set(totals.index) - set(people["area"]))
    if unseen:
        notes.append(
            f"No one answered in these areas of the margins, so the 'all' figures leave them out: "
            f"{listed(unseen)}."
        )
    return Weights(weights=pd.Series(values, index=people.index, name="weight"), notes=notes)


def _area_weights(
    area: _Area, age_codes: np.ndarray, sex_codes: np.ndarray, notes: list[str]
) -> np.ndarray:
    """Weights for the area's known respondents then its unknown ones (any scale)."""
    size = len(area.known) + len(area.unknown)
    if len(area.known) < 2:
        notes.append(
            f"Area {area.name}: only {len(area.known)} respondent(s) gave an age band and sex, "
            f"too few to weight by; its {size} respondent(s) are weighted equally."
        )
        return np.ones(size)
    ages, sexes = age_codes[area.known], sex_codes[area.known]
    targets = {
        "age_band": _reachable(area.name, "aged", area.ages, set(ages), notes),
        "sex": _reachable(area.name, "of sex", area.sexes, set(sexes), notes),
    }
    # Categorical columns from the start: weightipy makes them so anyway, and building them
    # from the object arrays skips pandas's string conversion, a third of the raking's time.
    frame = pd.DataFrame(
        {
            "age_band": pd.Categorical(ages, categories=list(targets["age_band"])),
            "sex": pd.Categorical(sexes, categories=list(targets["sex"])),
        }
    )
    raked = weight(frame, scheme_from_dict(targets, name="area")).to_numpy(dtype=float)
    gap = _margin_gap(frame, raked, targets)
    if gap > MARGIN_TOLERANCE:
        notes.append(
            f"Area {area.name}: raking could not match its age and sex margins together "
            f"(off by up to {gap:.1%} of its population); its weights are the closest it reached."
        )
    return np.concatenate([raked, np.full(len(area.unknown), raked.mean())])


def _reachable(
    area: str, wording: str, margin: dict[str, float], present: set[object], notes: list[str]
) -> dict[str, float]:
    """The margin's categories someone answered in; the others' people spread over them.

    weightipy scales targets to shares of 100, so dropping a category spreads its population
    over the rest in proportion: what raking to the categories present does, said in a note.
    """
    kept = {code: total for code, total in margin.items() if code in present}
    for code in sorted(set(margin) - set(kept)):
        notes.append(
            f"Area {area}: no one {wording} {code} answered; its {margin[code]:,.0f} people are "
            f"counted across the other {'age bands' if wording == 'aged' else 'sexes'} there."
        )
    return kept


def _margin_gap(
    frame: pd.DataFrame, raked: np.ndarray, targets: dict[str, dict[str, float]]
) -> float:
    """The largest difference between a weighted share and its target share."""
    gap = 0.0
    for column, target in targets.items():
        codes = list(target)
        positions = frame[column].cat.codes.to_numpy()
        reached = np.bincount(positions, weights=raked, minlength=len(codes)) / raked.sum()
        wanted = np.array([target[code] for code in codes]) / sum(target.values())
        gap = max(gap, float(np.abs(reached - wanted).max()))
    return gap
