"""Naming an area for analysis: a force, a neighbourhood, an LSOA or a local authority.

People type what they know ("Longton", "E01014213", "Stoke-on-Trent", "staffordshire"), so the
text is tried against every kind of area by its exact name or code. If nothing is called that,
the neighbourhood is found as residents find it (``places.search``, the one finder): by a town
or village in it ("Longton", in Longton & Meir Hay South), or by part of its own name. More than
one match is refused with the choices and how to pick one (``neighbourhood:12``,
``la:Stafford``), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.places.search import best_matches, neighbourhoods_named

KINDS = {
    "force": "force",
    "neighbourhood": "neighbourhood",
    "lsoa": "LSOA",
    "la": "local authority",
}
_PREFIX = re.compile(r"^(force|neighbourhood|lsoa|la)\s*:\s*(.+)$", re.IGNORECASE)
_LSOA_NAME = re.compile(r"^(?P<la>.+) \d{3}[A-Z]$")


class AreaError(ValueError):
    """The text names no area, or more than one."""


@dataclass(frozen=True)
class Area:
    kind: str
    label: str
    force_ids: tuple[str, ...]
    neighbourhood_id: int | None = None
    lsoa_codes: tuple[str, ...] | None = None
    population: int | None = None

    @property
    def description(self) -> str:
        return f"{self.label} ({KINDS.get(self.kind, self.kind)})"


def area_resolve(*, text: str, force_ids: list[str] | None = None) -> Area:
    """The one area ``text`` names, among the forces ``force_ids`` (all when None)."""
    wanted = (text or "").strip()
    if not wanted:
        raise AreaError(
            "Name an area: a neighbourhood, an LSOA code, a local authority or a force."
        )
    kinds = tuple(KINDS)
    prefixed = _PREFIX.match(wanted)
    if prefixed:
        kinds = (prefixed.group(1).lower(),)
        wanted = prefixed.group(2).strip()
    matches: list[Area] = []
    for kind in kinds:
        matches.extend(_FINDERS[kind](wanted, force_ids))
    if not matches and "neighbourhood" in kinds:
        matches = _find_named_neighbourhoods(wanted, force_ids)
    if not matches:
        raise AreaError(
            f"No force, neighbourhood, LSOA or local authority you can see is called {wanted!r}."
        )
    if len(matches) > 1:
        choices = "; ".join(_how_to_name(area) for area in matches[:8])
        raise AreaError(f"{wanted!r} could be more than one area: {choices}.")
    return matches[0]


def _how_to_name(area: Area) -> str:
    if area.kind == "neighbourhood":
        return f"the neighbourhood {area.label} (neighbourhood:{area.neighbourhood_id})"
    prefix = "la" if area.kind == "la" else area.kind
    return f"the {KINDS[area.kind]} {area.label} ({prefix}:{area.label})"


def _forces(force_ids: list[str] | None) -> QuerySet[Force]:
    forces = Force.objects.all()
    return forces if force_ids is None else forces.filter(pk__in=force_ids)


def _lsoa_population(lsoas: QuerySet[Lsoa]) -> int | None:
    """The residents of a set of LSOAs, never counting a place twice.

    Where the set holds 2021 LSOAs made by splitting or merging 2011 ones, the 2011 LSOAs they
    replaced are in it too (with no 2021 figure): the 2021 census is summed alone. Otherwise
    each LSOA counts its 2021 figure, or its 2011 one where it has none."""
    if lsoas.filter(census_year=2021, population_2021__isnull=False).exists():
        total = lsoas.aggregate(n=Sum("population_2021"))["n"]
    else:
        total = lsoas.aggregate(n=Sum(Coalesce("population_2021", "population_2011")))["n"]
    return int(total) if total else None


def _find_forces(text: str, force_ids: list[str] | None) -> list[Area]:
    forces = _forces(force_ids).filter(Q(pk__iexact=text) | Q(name__iexact=text))
    return [
        Area(
            kind="force",
            label=force.name,
            force_ids=(force.pk,),
            population=_lsoa_population(Lsoa.objects.filter(force=force)),
        )
        for force in forces
    ]


def _find_neighbourhoods(text: str, force_ids: list[str] | None) -> list[Area]:
    query = Q(code__iexact=text) | Q(name__iexact=text)
    if text.isdigit():
        query |= Q(pk=int(text))
    hoods = Neighbourhood.objects.filter(query, force__in=_forces(force_ids)).select_related(
        "force"
    )
    return [_neighbourhood_area(hood) for hood in hoods.order_by("force__name", "name")]


def _find_named_neighbourhoods(text: str, force_ids: list[str] | None) -> list[Area]:
    """The neighbourhoods residents' search finds first for the text: by a town or village
    in them, else by part of their own name."""
    found = best_matches(neighbourhoods_named(text=text, force_ids=force_ids))
    return [_neighbourhood_area(match.neighbourhood) for match in found]


def _neighbourhood_area(hood: Neighbourhood) -> Area:
    return Area(
        kind="neighbourhood",
        label=f"{hood.name}, {hood.force.name}",
        force_ids=(hood.force_id,),
        neighbourhood_id=hood.pk,
        population=hood.population or _lsoa_population(hood.lsoas.all()),
    )


def _find_lsoas(text: str, force_ids: list[str] | None) -> list[Area]:
    lsoas = Lsoa.objects.filter(Q(code__iexact=text) | Q(name__iexact=text))
    if force_ids is not None:
        lsoas = lsoas.filter(force__in=force_ids)
    return [
        Area(
            kind="lsoa",
            label=f"{lsoa.name} {lsoa.code}".strip(),
            force_ids=(lsoa.force_id,) if lsoa.force_id else tuple(_all_force_ids(force_ids)),
            lsoa_codes=(lsoa.code,),
            population=lsoa.population,
        )
        for lsoa in lsoas
    ]


def _find_local_authorities(text: str, force_ids: list[str] | None) -> list[Area]:
    lsoas = Lsoa.objects.filter(
        Q(local_authority_name__iexact=text) | Q(name__istartswith=f"{text} ")
    )
    if force_ids is not None:
        lsoas = lsoas.filter(force__in=force_ids)
    matched = [
        (code, _name_in_lsoa_names(lsoa_name), la_name or "")
        for code, lsoa_name, la_name in lsoas.values_list("code", "name", "local_authority_name")
        if text.lower() in {(la_name or "").lower(), _name_in_lsoa_names(lsoa_name).lower()}
    ]
    if not matched:
        return []
    # The authority as police.uk's LSOA names carry it ("Stoke-on-Trent"), so that the 2011 and
    # 2021 LSOAs of one authority are one area, however the census tables name it ("Stoke-on-
    # Trent UA"): named by the table, its LSOAs' own names bring in the other census's LSOAs.
    named = sorted({from_name for _, from_name, _ in matched if from_name})
    name = named[0] if len(named) == 1 else matched[0][2]
    codes = {code for code, _, _ in matched}
    if named:
        for code, lsoa_name in _lsoas_named_for(named, force_ids):
            if _name_in_lsoa_names(lsoa_name) in named:
                codes.add(code)
    chosen = Lsoa.objects.filter(code__in=sorted(codes))
    forces = sorted({f for f in chosen.values_list("force_id", flat=True) if f})
    return [
        Area(
            kind="la",
            label=name,
            force_ids=tuple(forces) or tuple(_all_force_ids(force_ids)),
            lsoa_codes=tuple(sorted(codes)),
            population=_lsoa_population(chosen),
        )
    ]


def _name_in_lsoa_names(lsoa_name: str | None) -> str:
    """The authority an LSOA's name carries: "Stoke-on-Trent" for "Stoke-on-Trent 012A"."""
    parsed = _LSOA_NAME.match(lsoa_name or "")
    return parsed.group("la") if parsed else ""


def _lsoas_named_for(names: list[str], force_ids: list[str] | None) -> list[tuple[str, str]]:
    query = Q()
    for name in names:
        query |= Q(name__istartswith=f"{name} ")
    lsoas = Lsoa.objects.filter(query)
    if force_ids is not None:
        lsoas = lsoas.filter(Q(force__in=force_ids) | Q(force=None))
    return list(lsoas.values_list("code", "name"))


def _all_force_ids(force_ids: list[str] | None) -> list[str]:
    return list(_forces(force_ids).values_list("pk", flat=True))


_FINDERS = {
    "force": _find_forces,
    "neighbourhood": _find_neighbourhoods,
    "lsoa": _find_lsoas,
    "la": _find_local_authorities,
}
