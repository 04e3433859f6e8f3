"""A neighbourhood's published crime and stop and search, as a resident's page shows them.

Counts cover the latest 12 months the force's data is held for, with the 12 months before for
comparison, and a rate per 1,000 residents from the census population of the neighbourhood's
LSOAs. Everything here is worked out from whole tables and cached under the data version
(see ``records.versions``): the page reads it from the cache until the next import.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count

from beatbook.common.months import add_months, month_window
from beatbook.opendata.models import StopAndSearch
from beatbook.opendata.selectors import crimes_in_neighbourhood
from beatbook.places.models import Neighbourhood
from beatbook.policeapi.categories import CRIME_CATEGORY_NAMES, HISTORICAL_CATEGORY_NAMES
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.records.versions import cached_for_version

WINDOW = 12


def months_held(*, force_id: str, kind: str) -> list[str]:
    """Months with a loaded file of this kind for the force, oldest first."""
    rows = SourceFile.objects.filter(
        kind=kind, status=SourceStatus.LOADED, force_id=force_id
    ).values_list("month", flat=True)
    return sorted({month for month in rows if month})


def category_name(slug: str) -> str:
    return CRIME_CATEGORY_NAMES.get(slug) or HISTORICAL_CATEGORY_NAMES.get(slug) or slug


@dataclass(frozen=True)
class Population:
    """The residents the rates are per: a census count of the neighbourhood's LSOAs."""

    residents: int
    source: str  # which census, in words


def neighbourhood_population(neighbourhood: Neighbourhood) -> Population | None:
    """Census 2021 if every LSOA has it, else 2011 if every one has that, else a mix (said)."""
    rows = list(neighbourhood.lsoas.values_list("population_2021", "population_2011"))
    if not rows:
        if neighbourhood.population:
            return Population(neighbourhood.population, "the force's own figure")
        return None
    census_2021 = [p for p, _ in rows if p is not None]
    census_2011 = [p for _, p in rows if p is not None]
    if len(census_2021) == len(rows):
        return Population(sum(census_2021), "Census 2021")
    if len(census_2011) == len(rows):
        return Population(sum(census_2011), "Census 2011")
    if any(p2021 is None and p2011 is None for p2021, p2011 in rows):
        return None
    older = sum(1 for p2021, _ in rows if p2021 is None)
    total = sum(p2021 if p2021 is not None else p2011 or 0 for p2021, p2011 in rows)
    return Population(
        total, f"Census 2021 (Census 2011 for {older} of its {len(rows)} small areas)"
    )


@dataclass(frozen=True)
class CategoryCount:
    slug: str
    name: str
    count: int
    previous: int | None  # None when the year before is not held
    rate: float | None  # per 1,000 residents

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.count - self.previous

    @property
    def change_percent(self) -> float | None:
        if self.previous is None or self.previous == 0:
            return None
        return round(100 * (self.count - self.previous) / self.previous, 1)


@dataclass(frozen=True)
class CrimeSummary:
    months: list[str]  # the window, oldest first
    missing: list[str]  # months of the window the force's data is not held for
    previous_months: list[str] | None  # the year before, when every month of it is held
    categories: list[CategoryCount]  # commonest first
    total: CategoryCount
    population: Population | None

    @property
    def first_month(self) -> str:
        return self.months[0]

    @property
    def last_month(self) -> str:
        return self.months[-1]


def _rate(count: int, population: Population | None) -> float | None:
    if population is None or population.residents <= 0:
        return None
    return round(1000 * count / population.residents, 1)


def _count(
    slug: str, name: str, now: int, before: int | None, population: Population | None
) -> CategoryCount:
    return CategoryCount(
        slug=slug, name=name, count=now, previous=before, rate=_rate(now, population)
    )


def _summarise(neighbourhood: Neighbourhood) -> CrimeSummary | None:
    held = months_held(force_id=neighbourhood.force_id, kind=SourceKind.STREET)
    if not held:
        return None
    window = month_window(held[-1], WINDOW)
    previous = month_window(add_months(held[-1], -WINDOW), WINDOW)
    compare = all(month in held for month in previous)
    asked = [m for m in window + (previous if compare else []) if m in held]
    rows = (
        crimes_in_neighbourhood(
            force_id=neighbourhood.force_id, neighbourhood_id=neighbourhood.pk, months=asked
        )
        .values_list("month", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    now: Counter[str] = Counter()
    before: Counter[str] = Counter()
    for month, category, n in rows:
        (now if month >= window[0] else before)[category] += n
    population = neighbourhood_population(neighbourhood)
    slugs = sorted(set(now) | set(before), key=lambda s: (-now[s], category_name(s)))
    categories = [
        _count(s, category_name(s), now[s], before[s] if compare else None, population)
        for s in slugs
    ]
    total = _count(
        "all-crime",
        "All crime",
        sum(now.values()),
        sum(before.values()) if compare else None,
        population,
    )
    return CrimeSummary(
        months=window,
        missing=[m for m in window if m not in held],
        previous_months=previous if compare else None,
        categories=categories,
        total=total,
        population=population,
    )


def crime_summary(neighbourhood: Neighbourhood, *, version: str) -> CrimeSummary | None:
    """Crime by category for the latest 12 months held; None if none are held for the force."""
    return cached_for_version(
        f"crime-summary:{neighbourhood.pk}",
        version=version,
        build=lambda: _summarise(neighbourhood),
    )


@dataclass(frozen=True)
class CrimePlace:
    """A published (snapped) crime location and the crimes shown there."""

    latitude: float
    longitude: float
    name: str
    count: int
    categories: list[tuple[str, int]]  # name, count; commonest first


def _places(neighbourhood: Neighbourhood, months: list[str]) -> list[CrimePlace]:
    rows = (
        crimes_in_neighbourhood(
            force_id=neighbourhood.force_id, neighbourhood_id=neighbourhood.pk, months=months
        )
        .filter(location__isnull=False)
        .values_list("location_id", "latitude", "longitude", "location__name", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    points: dict[int, tuple[float, float, str]] = {}
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for location_id, lat, lng, name, category, n in rows:
        points[location_id] = (lat, lng, name)
        counts[location_id][category_name(category)] += n
    places = [
        CrimePlace(
            latitude=lat,
            longitude=lng,
            name=name,
            count=sum(counts[key].values()),
            categories=sorted(counts[key].items(), key=lambda item: (-item[1], item[0])),
        )
        for key, (lat, lng, name) in points.items()
    ]
    return sorted(places, key=lambda p: (-p.count, p.name, p.latitude, p.longitude))


def crime_places(neighbourhood: Neighbourhood, *, version: str) -> list[CrimePlace]:
    """Crimes of the latest 12 months held, per published location."""

    def build() -> list[CrimePlace]:
        held = months_held(force_id=neighbourhood.force_id, kind=SourceKind.STREET)
        if not held:
            return []
        window = [m for m in month_window(held[-1], WINDOW) if m in held]
        return _places(neighbourhood, window)

    return cached_for_version(f"crime-places:{neighbourhood.pk}", version=version, build=build)


@dataclass(frozen=True)
class StopSummary:
    months: list[str]  # the window, oldest first
    missing: list[str]
    total: int
    by_object: list[tuple[str, int]]  # commonest first
    by_outcome: list[tuple[str, int]]


def _ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def _stops(neighbourhood: Neighbourhood) -> StopSummary | None:
    held = months_held(force_id=neighbourhood.force_id, kind=SourceKind.STOP_AND_SEARCH)
    if not held:
        return None
    window = month_window(held[-1], WINDOW)
    rows = (
        StopAndSearch.objects.filter(
            neighbourhood_id=neighbourhood.pk, month__in=[m for m in window if m in held]
        )
        .values_list("object_of_search", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_object: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    for object_of_search, outcome, n in rows:
        by_object[object_of_search or "Not recorded"] += n
        by_outcome[outcome or "Not recorded"] += n
    return StopSummary(
        months=window,
        missing=[m for m in window if m not in held],
        total=sum(by_object.values()),
        by_object=_ranked(by_object),
        by_outcome=_ranked(by_outcome),
    )


def stop_summary(neighbourhood: Neighbourhood, *, version: str) -> StopSummary | None:
    """Stops and searches placed in the neighbourhood (by their published point, at import)
    in the latest 12 months held for the force; None if none are held for it."""
    return cached_for_version(
        f"stop-summary:{neighbourhood.pk}", version=version, build=lambda: _stops(neighbourhood)
    )
