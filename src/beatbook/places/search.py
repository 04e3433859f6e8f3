"""Finding neighbourhoods by a name: of a town or village in them, or their own.

The one finder behind both residents' search (``residents.find``) and the staff's choice of an
area to analyse (``insights.areas``). A place from the gazetteer (``Place``: GeoNames, or OS
Open Names) is matched on its own name or another spelling, and stands for the neighbourhood
its point is in; LSOA and MSOA names are never searched or shown.

Order: places first, the town itself before others (exact name, then names that start with the
text, then names that contain it; larger places first within each), then neighbourhoods whose
own name matches, in the same three tiers, by name. Neighbourhoods named after the town
("Longton & Meir Hay South" for "Longton"; "Leek East", "Leek North"... for "Leek") stand for
it, in the first tier, instead of the one that holds the gazetteer's point for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from django.db.models import Case, F, IntegerField, Max, Min, Q, QuerySet, Value, When

from beatbook.places.models import Neighbourhood, PlaceName
from beatbook.places.services.gazetteer import OPEN_NAMES_KINDS, fold_name
from beatbook.places.spatial import containing

# Places whose neighbourhoods are listed before neighbourhoods matched by their own name.
MAX_PLACES = 10
# Places looked at (each one point-in-polygon) to find those: the best-ranked first.
_CANDIDATES = 60
# Shorter text matches names only in full or at their start ("Ab" would be in thousands).
_MIN_CONTAINS = 3
# Neighbourhoods matched by their own name that are ranked (more is not a useful list).
_MAX_OWN_NAMES = 500
# OS Open Names gives no population: a typical one for its kind of place, to rank by.
_KIND_SIZE = dict(zip(OPEN_NAMES_KINDS, (100_000, 10_000, 5_000, 1_000, 100, 50), strict=True))


class Tier(IntEnum):
    EXACT = 0  # the name, or for a neighbourhood's own name, a name that begins with it
    PREFIX = 1
    CONTAINS = 2


@dataclass(frozen=True)
class NameMatch:
    """A neighbourhood found by a name: a place inside it (``place``) or its own (``place``
    empty), and how well the name matched."""

    neighbourhood: Neighbourhood
    place: str
    tier: Tier


def neighbourhoods_named(
    *, text: str, force_ids: Sequence[str] | None = None, limit: int = 50
) -> list[NameMatch]:
    """Neighbourhoods (of ``force_ids``, or of every force) that a place or name matches."""
    folded = fold_name(text)
    if not folded:
        return []
    hoods = Neighbourhood.objects.select_related("force")
    if force_ids is not None:
        hoods = hoods.filter(force_id__in=force_ids)
    own = _by_own_name(text, folded, hoods)
    found = _by_place(folded, hoods)
    if any(match.tier == Tier.EXACT for match in own):
        # Neighbourhoods named after the town stand for it: a gazetteer's point for a town is
        # only roughly placed (GeoNames puts Longton's 500 m off, in the next ward).
        found = [match for match in found if match.tier != Tier.EXACT]
    seen = {match.neighbourhood.pk for match in found}
    found += [match for match in own if match.neighbourhood.pk not in seen]
    return found[:limit]


def place_known(*, text: str) -> bool:
    """Whether the gazetteer has a place of exactly this name, anywhere in the UK."""
    folded = fold_name(text)
    return bool(folded) and PlaceName.objects.filter(folded=folded).exists()


def best_matches(matches: list[NameMatch]) -> list[NameMatch]:
    """The matches of the best tier present, one per neighbourhood."""
    if not matches:
        return []
    best = min(match.tier for match in matches)
    return [match for match in matches if match.tier == best]


def _tier(folded_name: str, folded: str) -> Tier:
    if folded_name == folded:
        return Tier.EXACT
    return Tier.PREFIX if folded_name.startswith(folded) else Tier.CONTAINS


def _by_place(folded: str, hoods: QuerySet[Neighbourhood]) -> list[NameMatch]:
    inside = _inside_held_areas(hoods)
    if inside is None:
        return []
    wanted = Q(folded=folded) | Q(folded__startswith=folded)
    if len(folded) >= _MIN_CONTAINS:
        # Other spellings only in full or at their start: GeoNames lists names in other
        # languages ("Leek i Staffordshire") that would otherwise match "Stafford".
        wanted |= Q(main=True, folded__contains=folded)
    rows = (
        PlaceName.objects.filter(wanted)
        .filter(inside)
        .annotate(
            tier=Case(
                When(folded=folded, then=Value(int(Tier.EXACT))),
                When(folded__startswith=folded, then=Value(int(Tier.PREFIX))),
                default=Value(int(Tier.CONTAINS)),
                output_field=IntegerField(),
            )
        )
        .order_by("tier", F("place__population").desc(nulls_last=True), "name")
        .values_list(
            "name", "folded", "place__population", "place__kind", "place__latitude",
            "place__longitude",
        )[:_CANDIDATES]
    )  # fmt: skip
    ranked = sorted(
        rows, key=lambda r: (_tier(r[1], folded), -(r[2] or _KIND_SIZE.get(r[3], 0)), r[0])
    )
    return _located(ranked, folded, hoods)


def _located(
    ranked: list[tuple[str, str, int | None, str, float, float]],
    folded: str,
    hoods: QuerySet[Neighbourhood],
) -> list[NameMatch]:
    found: dict[int, NameMatch] = {}
    for name, folded_name, _, _, latitude, longitude in ranked:
        hood = containing(hoods, latitude=latitude, longitude=longitude)
        if hood is not None and hood.pk not in found:
            found[hood.pk] = NameMatch(hood, place=name, tier=_tier(folded_name, folded))
        if len(found) >= MAX_PLACES:
            break
    return list(found.values())


def _inside_held_areas(hoods: QuerySet[Neighbourhood]) -> Q | None:
    """Places inside the box of some force's neighbourhoods: the others are in none of them."""
    boxes = (
        hoods.order_by()
        .values("force_id")
        .annotate(
            south=Min("min_lat"), north=Max("max_lat"), west=Min("min_lng"), east=Max("max_lng")
        )
    )
    inside = None
    for box in boxes:
        if box["south"] is None:
            continue
        one = Q(
            place__latitude__gte=box["south"],
            place__latitude__lte=box["north"],
            place__longitude__gte=box["west"],
            place__longitude__lte=box["east"],
        )
        inside = one if inside is None else inside | one
    return inside


def _own_tier(folded_name: str, folded: str) -> Tier:
    return Tier.EXACT if folded_name.startswith(f"{folded} ") else _tier(folded_name, folded)


def _by_own_name(text: str, folded: str, hoods: QuerySet[Neighbourhood]) -> list[NameMatch]:
    words = " ".join(text.split())
    rows = hoods.filter(name__icontains=words).defer("boundary")[:_MAX_OWN_NAMES]
    matches = [NameMatch(hood, "", _own_tier(fold_name(hood.name), folded)) for hood in rows]
    return sorted(matches, key=lambda m: (m.tier, m.neighbourhood.name, m.neighbourhood.pk))
