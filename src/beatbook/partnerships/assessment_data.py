"""Reads what a strategic assessment needs from the database and hands it to the pure formula
(``analysis.strategic_assessment``): the area's crimes of the year and the one before, the
months held, populations, the force's and the other local authorities' counts, stop and search
inside the area, outcomes, residents' questions, and the source files it all came from.

An area is a partnership (by name or address) or a local authority as police.uk's LSOA names
carry it ("Stoke-on-Trent" for "Stoke-on-Trent 012A"). Populations are the latest census held:
the 2021 census over the area's 2021 LSOAs, or the 2011 census where no 2021 figure is loaded,
never both (an LSOA split in 2021 would otherwise be counted twice).

The data version of an assessment is a digest of the checksums of the files it used, so it is
the same on every server that loaded the same files, and loading a later year changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
import pandas as pd
from django.db.models import Count, OuterRef, Q, Subquery

from beatbook.analysis.assessment_priorities import Concerns, concerns_count
from beatbook.analysis.strategic_assessment import (
    AssessmentInputs,
    AssessmentResult,
    Comparison,
    strategic_assessment,
)
from beatbook.common.months import month_range
from beatbook.enquiries.models import Question
from beatbook.insights.areas import Area, AreaError, area_resolve
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.selectors import crime_points, months_held_by_force
from beatbook.opendata.models import Crime, Outcome, StopAndSearch
from beatbook.partnerships.models import Partnership
from beatbook.partnerships.partnership_areas import partnership_area
from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.places.spatial import PolygonIndex
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.surveys.survey_voice import SurveyVoice, survey_voice_for, survey_voice_version

_LSOA_NAME = re.compile(r"^(?P<la>.+) \d{3}[A-Z]$")
PLACES_KINDS = (SourceKind.LSOA_POPULATION, SourceKind.LSOA_FORCES, SourceKind.LSOA_BOUNDARIES)
FIRST_YEAR, LAST_YEAR = 2000, 2100


class AssessmentError(ValueError):
    """The assessment cannot be made: an unknown area, or a year with no data. ``field`` is
    the input at fault ("area" or "year"), for a form to show the message beside it."""

    def __init__(self, message: str, *, field: str = "area") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SourceRow:
    kind: str
    name: str
    force: str
    month: str
    sha256: str


@dataclass(frozen=True)
class AssessmentArea:
    label: str
    lsoa_codes: tuple[str, ...]
    force_ids: tuple[str, ...]
    authorities: tuple[str, ...]  # the local authorities it is made of
    partnership: Partnership | None = None


@dataclass(frozen=True)
class AssessmentData:
    area: AssessmentArea
    result: AssessmentResult
    sources: list[SourceRow]
    data_version: str
    harm_version: str
    population_census: int | None
    stops_note: str
    outcomes_note: str
    # What the surveys covering the area said in their latest published wave of the year or
    # before (``surveys.survey_voice``).
    survey_voice: tuple[SurveyVoice, ...] = ()


def assessment_area(*, text: str) -> AssessmentArea:
    """The partnership (by name or address) or local authority ``text`` names."""
    wanted = (text or "").strip()
    if not wanted:
        raise AssessmentError("Name an area: a partnership or a local authority.")
    partnership = Partnership.objects.filter(
        Q(name__iexact=wanted) | Q(slug__iexact=wanted)
    ).first()
    if partnership is not None:
        return assessment_partnership_area(partnership=partnership)
    try:
        area = area_resolve(text=wanted if wanted.lower().startswith("la:") else f"la:{wanted}")
    except AreaError:
        raise AssessmentError(
            f"No partnership or local authority is called {wanted!r}. Name a partnership, or a "
            'local authority as police.uk\'s LSOA names write it (like "Stoke-on-Trent").'
        ) from None
    label = _authority_label(area, wanted.removeprefix("la:").strip())
    return AssessmentArea(label, area.lsoa_codes or (), area.force_ids, (label,))


def assessment_partnership_area(*, partnership: Partnership) -> AssessmentArea:
    """The partnership's whole area, or ``AssessmentError`` naming an authority with no LSOAs
    held (or saying it has none yet)."""
    try:
        area = partnership_area(partnership=partnership)
    except AreaError as error:
        raise AssessmentError(f"{partnership.name}: {error}") from None
    names = tuple(partnership.authorities.values_list("name", flat=True))
    return AssessmentArea(
        partnership.name, area.lsoa_codes or (), area.force_ids, names, partnership
    )


def _authority_label(area: Area, wanted: str) -> str:
    """The authority's name as its LSOA names write it ("Stoke-on-Trent", not the census
    table's "Stoke-on-Trent UA")."""
    names = Lsoa.objects.filter(code__in=list(area.lsoa_codes or ())).values_list("name", flat=True)
    for name in names:
        parsed = _LSOA_NAME.match(name or "")
        if parsed and parsed.group("la").lower() == wanted.lower():
            return parsed.group("la")
    return area.label


def assessment_make(*, area: AssessmentArea, year: int) -> AssessmentData:
    """The assessment of ``area`` for ``year``, or ``AssessmentError`` saying why not."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise AssessmentError(
            f"The year must be between {FIRST_YEAR} and {LAST_YEAR}.", field="year"
        )
    months = month_range(f"{year - 1}-01", f"{year}-12")
    forces, held = _forces_and_months(area, months, year)
    # Crimes in the area's LSOAs that a neighbouring force recorded count too.
    every_force = _forces_holding(months)
    crimes = crime_points(
        force_ids=every_force,
        month_from=months[0],
        month_to=months[-1],
        lsoa_codes=list(area.lsoa_codes),
    )
    lsoas = _lsoa_table()
    populations = _authority_populations(lsoas)
    population, census = _population(lsoas[lsoas["code"].isin(area.lsoa_codes)])
    force, others = _comparisons(forces, every_force, area, year, held, lsoas, populations)
    stops, stops_note = _stops(area, forces, year)
    outcomes, outcomes_note = _outcomes(area, forces, year)
    weights = harm_weights()
    inputs = AssessmentInputs(
        area_label=area.label,
        year=year,
        crimes=crimes,
        months_held=held,
        population=population,
        harm=weights,
        force=force,
        other_areas=others,
        stops=stops,
        outcomes=outcomes,
        voice=_voice(area, year),
    )
    result = strategic_assessment(inputs)
    sources = _sources(forces, every_force, months, year)
    neighbourhoods = _area_neighbourhoods(area)
    return AssessmentData(
        area=area,
        result=result,
        sources=sources,
        data_version=_version(sources, weights.version, _surveys_version(area, year)),
        harm_version=weights.version,
        population_census=census,
        stops_note=stops_note,
        outcomes_note=outcomes_note,
        survey_voice=tuple(
            survey_voice_for(forces=area.force_ids, neighbourhood_ids=neighbourhoods, year=year)
        ),
    )


def assessment_data_version(*, area: AssessmentArea, year: int) -> str:
    """The data version an assessment of ``area`` for ``year`` would carry, without making it:
    whether a kept one is still the one the data gives."""
    months = month_range(f"{year - 1}-01", f"{year}-12")
    forces, _ = _forces_and_months(area, months, year)
    sources = _sources(forces, _forces_holding(months), months, year)
    return _version(sources, harm_weights().version, _surveys_version(area, year))


def _area_neighbourhoods(area: AssessmentArea) -> list[int]:
    """The neighbourhoods with an LSOA in the area: whose surveys speak for it."""
    rows = Neighbourhood.objects.filter(lsoas__code__in=list(area.lsoa_codes))
    return sorted(set(rows.values_list("pk", flat=True)))


def _surveys_version(area: AssessmentArea, year: int) -> str:
    return survey_voice_version(
        forces=area.force_ids, neighbourhood_ids=_area_neighbourhoods(area), year=year
    )


def _forces_and_months(
    area: AssessmentArea, months: list[str], year: int
) -> tuple[list[str], list[str]]:
    """The area's forces with street-level crime in the two years, and the months all of them
    hold; ``AssessmentError`` if the year itself has none."""
    by_force = months_held_by_force(force_ids=list(area.force_ids))
    wanted = set(months)
    forces = sorted(f for f, held in by_force.items() if wanted & set(held))
    this_year = {m for m in months if m.startswith(f"{year}-")}
    if not forces or not any(this_year & set(by_force[f]) for f in forces):
        held = sorted({m for f in by_force.values() for m in f})
        span = f"Months held run from {held[0]} to {held[-1]}." if held else "None is loaded."
        raise AssessmentError(
            f"No street-level crime is held for {area.label} in {year}, so no assessment can "
            f"be made for it. {span}",
            field="year",
        )
    common = set.intersection(*(set(by_force[f]) for f in forces)) & wanted
    return forces, sorted(common)


def _lsoa_table() -> pd.DataFrame:
    rows = list(
        Lsoa.objects.order_by("code").values_list(
            "code", "name", "force_id", "population_2011", "population_2021"
        )
    )
    frame = pd.DataFrame(rows, columns=["code", "name", "force_id", "pop_2011", "pop_2021"])
    frame["authority"] = frame["name"].map(_authority_of)
    return frame


def _authority_of(name: str | None) -> str:
    parsed = _LSOA_NAME.match(name or "")
    return parsed.group("la") if parsed else ""


def _population(lsoas: pd.DataFrame) -> tuple[int | None, int | None]:
    """The latest census held for these LSOAs: (people, census year)."""
    for column, census in (("pop_2021", 2021), ("pop_2011", 2011)):
        values = pd.to_numeric(lsoas[column], errors="coerce").dropna()
        if len(values) and values.sum() > 0:
            return int(values.sum()), census
    return None, None


def _authority_populations(lsoas: pd.DataFrame) -> dict[str, int | None]:
    named = lsoas[lsoas["authority"] != ""]
    return {name: _population(group)[0] for name, group in named.groupby("authority")}


def _forces_holding(months: list[str]) -> list[str]:
    wanted = set(months)
    return sorted(f for f, held in months_held_by_force().items() if wanted & set(held))


def _comparisons(
    forces: list[str],
    every_force: list[str],
    area: AssessmentArea,
    year: int,
    held: list[str],
    lsoas: pd.DataFrame,
    populations: dict[str, int | None],
) -> tuple[Comparison, list[Comparison]]:
    """The force(s) as a whole (every crime they recorded), and every other local authority
    they hold (every crime in its LSOAs, whichever force recorded it, as for the area)."""
    year_held = [m for m in held if m.startswith(f"{year}-")]
    rows = list(
        Crime.objects.filter(force_id__in=every_force, month__in=year_held)
        .order_by()
        .values_list("force_id", "lsoa_code", "category")
        .annotate(n=Count("id"))
    )
    counts = pd.DataFrame(rows, columns=["force_id", "code", "category", "n"])
    in_forces = lsoas[lsoas["force_id"].isin(forces) & (lsoas["authority"] != "")]
    authorities = sorted(set(in_forces["authority"]) - set(area.authorities))
    counts["authority"] = counts["code"].map(
        dict(zip(lsoas["code"], lsoas["authority"], strict=True))
    )
    names = Force.objects.filter(pk__in=forces).order_by("name").values_list("name", flat=True)
    force_populations = [populations.get(a) for a in set(in_forces["authority"])]
    force = Comparison(
        label=" and ".join(names),
        counts=_by_category(counts[counts["force_id"].isin(forces)]),
        population=None
        if not force_populations or None in force_populations
        else sum(p or 0 for p in force_populations),
    )
    others = [
        Comparison(name, _by_category(counts[counts["authority"] == name]), populations.get(name))
        for name in authorities
    ]
    return force, others


def _by_category(counts: pd.DataFrame) -> dict[str, int]:
    summed = counts.groupby("category")["n"].sum()
    return {str(k): int(v) for k, v in sorted(summed.items())}


def _stops(area: AssessmentArea, forces: list[str], year: int) -> tuple[pd.DataFrame | None, str]:
    months = month_range(f"{year}-01", f"{year}-12")
    files = SourceFile.objects.filter(
        kind=SourceKind.STOP_AND_SEARCH,
        status=SourceStatus.LOADED,
        force_id__in=forces,
        month__in=months,
    )
    held = sorted(set(files.values_list("month", flat=True)))
    if not held:
        return None, f"No stop and search files are loaded for {year}."
    bounded = Lsoa.objects.filter(code__in=list(area.lsoa_codes)).exclude(boundary=None)
    if not bounded.exists():
        return None, (
            "The area's LSOA boundaries are not loaded, so searches cannot be placed in it."
        )
    index = PolygonIndex.from_geojson(
        list(bounded.order_by("code").values_list("code", "boundary"))
    )
    rows = list(
        StopAndSearch.objects.filter(force_id__in=forces, month__in=held)
        .exclude(latitude=None)
        .order_by("id")
        .values_list("latitude", "longitude", "month", "object_of_search", "outcome")
    )
    frame = pd.DataFrame(rows, columns=["lat", "lng", "month", "object_of_search", "outcome"])
    inside = index.lookup(frame["lat"].to_numpy(np.float64), frame["lng"].to_numpy(np.float64))
    chosen = frame[pd.notna(inside)][["month", "object_of_search", "outcome"]]
    missing = [m for m in months if m not in held]
    note = "Searches with a location inside the area's LSOAs."
    if missing:
        note += f" No stop and search file is loaded for {', '.join(missing)}."
    return chosen.reset_index(drop=True), note


def _outcomes(
    area: AssessmentArea, forces: list[str], year: int
) -> tuple[pd.DataFrame | None, str]:
    months = month_range(f"{year}-01", f"{year}-12")
    files = SourceFile.objects.filter(
        kind=SourceKind.OUTCOMES, status=SourceStatus.LOADED, force_id__in=forces
    )
    if not files.exists():
        return None, "No outcomes files are loaded, so outcomes by category cannot be shown."
    category = Crime.objects.filter(persistent_id=OuterRef("persistent_id")).values("category")
    rows = list(
        Outcome.objects.filter(
            force_id__in=forces, month__in=months, lsoa_code__in=list(area.lsoa_codes)
        )
        .annotate(category=Subquery(category[:1]))
        .order_by("id")
        .values_list("category", "outcome")
    )
    frame = pd.DataFrame(rows, columns=["category", "outcome"]).fillna(
        {"category": "crime not held"}
    )
    return frame, "Outcomes recorded in the year, from police.uk outcomes files."


def _voice(area: AssessmentArea, year: int) -> Concerns:
    rows = (
        Question.objects.filter(
            neighbourhood__lsoas__code__in=list(area.lsoa_codes), asked_at__year=year
        )
        .distinct()
        .order_by("pk")
        .values_list("kind", "subject", "body")
    )
    return concerns_count((kind, f"{subject} {body}") for kind, subject, body in rows)


def _sources(
    forces: list[str], every_force: list[str], months: list[str], year: int
) -> list[SourceRow]:
    year_months = [m for m in months if m.startswith(f"{year}-")]
    used = SourceFile.objects.filter(status=SourceStatus.LOADED).filter(
        Q(kind=SourceKind.STREET, force_id__in=every_force, month__in=months)
        | Q(
            kind__in=[SourceKind.STOP_AND_SEARCH, SourceKind.OUTCOMES],
            force_id__in=forces,
            month__in=year_months,
        )
        | Q(kind__in=PLACES_KINDS)
    )
    rows = {
        SourceRow(
            kind=SourceKind(kind).label,
            name=member or PurePath(path).name,
            force=force or "",
            month=month or "",
            sha256=sha256,
        )
        for kind, path, member, force, month, sha256 in used.values_list(
            "kind", "path", "member", "force_id", "month", "sha256"
        )
    }
    return sorted(rows, key=lambda r: (r.kind, r.force, r.month, r.name, r.sha256))


def _version(sources: list[SourceRow], harm_version: str, surveys: str = "") -> str:
    """A digest of the files and harm weights used, and of the survey waves quoted (if any: an
    assessment quoting none keeps the version it had before surveys were held)."""
    digest = hashlib.sha256(harm_version.encode())
    for row in sources:
        digest.update(f"\n{row.kind}|{row.force}|{row.month}|{row.name}|{row.sha256}".encode())
    if surveys:
        digest.update(f"\nsurveys|{surveys}".encode())
    return f"files-{digest.hexdigest()[:16]}"
