"""Street-level crimes and outcomes, as rows ready for ``policeapi.serialisers``.

Only what police.uk publishes leaves these functions: the snapped location (a ``Location``
row), never a crime's own coordinates, LSOA or neighbourhood.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from beatbook.opendata.models import Crime, Location, Outcome
from beatbook.policeapi.categories import (
    ALL_CRIME,
    ANTI_SOCIAL_BEHAVIOUR,
    CRIME_CATEGORIES,
    HISTORICAL_CATEGORY_NAMES,
    category_name,
)
from beatbook.policeapi.errors import AreaTooLargeError, NotFoundError
from beatbook.policeapi.params import Point
from beatbook.policeapi.selectors.held_months import held_months
from beatbook.policeapi.selectors.search_areas import (
    Area,
    box_rows,
    chunked,
    circle,
    haversine_metres,
    inside,
)
from beatbook.records.models import SourceKind

CRIME_FIELDS = (
    "id",
    "category",
    "persistent_id",
    "outcome",
    "context",
    "month",
    "force_id",
    "location_id",
    "location__latitude",
    "location__longitude",
    "location__name",
)
_LAT_AT, _LNG_AT = (
    CRIME_FIELDS.index("location__latitude"),
    CRIME_FIELDS.index("location__longitude"),
)
# Categories were renamed in May 2013; later months can hold only the current slugs.
_LAST_MONTH_OF_OLD_CATEGORIES = "2013-05"
# How far crimes-at-location looks for the nearest published point to a lat/lng.
_NEAREST_LOCATION_RADII = (250.0, 1000.0, 5000.0, 20000.0)


class CrimeRow(NamedTuple):
    id: int
    category: str
    persistent_id: str
    outcome: str
    context: str
    month: str
    force_id: str
    location_id: int | None
    latitude: float | None
    longitude: float | None
    street: str | None


class LocatedCrimes(NamedTuple):
    """Crimes with the month of each one's latest outcome (by persistent id)."""

    crimes: list[CrimeRow]
    outcome_months: dict[str, str]


class OutcomeRow(NamedTuple):
    outcome: str
    month: str
    crime: CrimeRow


def area_limit() -> int:
    return int(settings.API_AREA_LIMIT)


def _with_category(queryset: QuerySet[Crime], category: str | None) -> QuerySet[Crime]:
    # police.uk answers an unknown slug with all crime; the R client relies on it.
    if category and category != ALL_CRIME and category in _known_slugs():
        return queryset.filter(category=category)
    return queryset


def _known_slugs() -> set[str]:
    return {slug for slug, _ in CRIME_CATEGORIES} | set(HISTORICAL_CATEGORY_NAMES)


def _crime_rows(queryset: QuerySet[Crime]) -> list[CrimeRow]:
    return [CrimeRow._make(row) for row in queryset.values_list(*CRIME_FIELDS)]


def outcome_months(persistent_ids: Iterable[str], *, since: str) -> dict[str, str]:
    """The month of each crime's latest outcome event, where the outcomes files give one.

    Crimes of ``since`` or later can only have outcomes in files of that month or later: when
    none is held the lookup is skipped. The ids go to the database as plain parameters (not
    through the ORM's lookups) because a busy square mile has hundreds of them.
    """
    wanted = sorted({pid for pid in persistent_ids if pid})
    if not wanted or not _outcomes_held(since):
        return {}
    table = connection.ops.quote_name(Outcome._meta.db_table)
    months: dict[str, str] = {}
    with connection.cursor() as cursor:
        for chunk in chunked(wanted):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT persistent_id, MAX(month) FROM {table} "  # noqa: S608 - placeholders only
                f"WHERE persistent_id IN ({marks}) GROUP BY persistent_id",
                list(chunk),
            )
            months.update(cursor.fetchall())
    return months


def _outcomes_held(since: str) -> bool:
    months = held_months(SourceKind.OUTCOMES)
    return bool(months) and months[0] >= since


def _with_outcomes(crimes: list[CrimeRow]) -> LocatedCrimes:
    ids = [c.persistent_id for c in crimes if c.outcome and c.category != ANTI_SOCIAL_BEHAVIOUR]
    since = min((c.month for c in crimes), default="")
    return LocatedCrimes(crimes, outcome_months(ids, since=since) if ids else {})


def _near_sql(*, by_category: bool) -> str:
    """The 1-mile query as SQL: the API's busiest, so it skips the ORM's per-call compiling."""
    crime = connection.ops.quote_name(Crime._meta.db_table)
    location = connection.ops.quote_name(Location._meta.db_table)
    sql = (
        "SELECT c.id, c.category, c.persistent_id, c.outcome, c.context, c.month, c.force_id, "  # noqa: S608 - table names only
        f"c.location_id, l.latitude, l.longitude, l.name FROM {crime} c "
        f"INNER JOIN {location} l ON l.id = c.location_id "
        "WHERE c.month = %s AND c.latitude >= %s AND c.latitude <= %s "
        "AND c.longitude >= %s AND c.longitude <= %s"
    )
    return sql + " AND c.category = %s" if by_category else sql


def crimes_near(*, point: Point, month: str, category: str | None) -> LocatedCrimes:
    """Crimes published within one mile of a point in a month."""
    area = circle(point)
    params: list[str | float] = [month, area.min_lat, area.max_lat, area.min_lng, area.max_lng]
    by_category = bool(category) and category != ALL_CRIME and category in _known_slugs()
    if by_category:
        params.append(str(category))
    with connection.cursor() as cursor:
        cursor.execute(_near_sql(by_category=by_category), params)
        rows = cursor.fetchall()
    return _with_outcomes([CrimeRow._make(row) for row in inside(rows, area, _LAT_AT, _LNG_AT)])


def crimes_in_polygon(*, area: Area, month: str, category: str | None) -> LocatedCrimes:
    """Crimes published inside a custom area; 503 beyond the configured limit.

    Candidates are counted on the narrow indexed columns first so that an area the size of a
    county is refused before its rows are fetched.
    """
    queryset = _with_category(
        Crime.objects.filter(month=month, location__isnull=False, **area.bbox_filter()), category
    )
    candidates = box_rows(queryset, ("id", "latitude", "longitude"), what="crimes")
    chosen = [row[0] for row in inside(candidates, area, 1, 2)]
    if len(chosen) > area_limit():
        raise AreaTooLargeError(
            f"the area holds more than {area_limit()} crimes: draw a smaller one"
        )
    crimes: list[CrimeRow] = []
    for chunk in chunked(chosen):
        crimes.extend(_crime_rows(Crime.objects.filter(id__in=chunk)))
    crimes.sort(key=lambda crime: crime.id)
    return _with_outcomes(crimes)


def location_or_404(location_id: int) -> Location:
    location = Location.objects.filter(pk=location_id).first()
    if location is None:
        raise NotFoundError(f"no location {location_id}")
    return location


def nearest_location_id(point: Point) -> int | None:
    """The published point nearest to a lat/lng, looking up to 20 km away."""
    for radius in _NEAREST_LOCATION_RADII:
        area = circle(point, radius)
        rows = list(
            Location.objects.filter(**area.bbox_filter()).values_list("id", "latitude", "longitude")
        )
        if rows:
            lat = [row[1] for row in rows]
            lng = [row[2] for row in rows]
            distances = haversine_metres(point, lat, lng)  # type: ignore[arg-type]
            best = int(distances.argmin())
            if distances[best] <= radius:
                return int(rows[best][0])
    return None


def crimes_at_location(
    *, location_id: int, month: str, category: str | None = None
) -> LocatedCrimes:
    queryset = Crime.objects.filter(location_id=location_id, month=month).order_by("id")
    return _with_outcomes(_crime_rows(_with_category(queryset, category)))


def crimes_without_location(*, force_id: str, month: str, category: str | None) -> LocatedCrimes:
    queryset = Crime.objects.filter(force_id=force_id, month=month, location__isnull=True)
    return _with_outcomes(_crime_rows(_with_category(queryset.order_by("id"), category)))


def crime_categories(*, month: str | None) -> list[tuple[str, str]]:
    """police.uk's category list, plus any older slug the month's crimes use.

    police-api-client looks every crime's category up in this list and fails on a missing one.
    """
    categories = list(CRIME_CATEGORIES)
    if month is None or month > _LAST_MONTH_OF_OLD_CATEGORIES:
        return categories
    known = {slug for slug, _ in categories}
    extra = (
        Crime.objects.filter(month=month)
        .exclude(category__in=known)
        .values_list("category", flat=True)
        .distinct()
    )
    return categories + [(slug, category_name(slug)) for slug in sorted(extra)]


def _by_persistent_id(ids: Sequence[str], *, up_to: str | None = None) -> QuerySet[Crime]:
    """Crimes with these ids, naming the months held so the (month, persistent_id) index serves."""
    months = [month for month in held_months(SourceKind.STREET) if up_to is None or month <= up_to]
    queryset = Crime.objects.filter(persistent_id__in=ids)
    return queryset.filter(month__in=months) if months else queryset


def crime_with_outcomes(*, persistent_id: str) -> tuple[CrimeRow, list[tuple[str, str]]]:
    """A crime (latest record of its id) and its outcome events, oldest first; 404 if unknown."""
    crime = _crime_rows(_by_persistent_id([persistent_id]).order_by("-month", "-id")[:1])
    if not persistent_id or not crime:
        raise NotFoundError(f"no crime {persistent_id}")
    events = Outcome.objects.filter(persistent_id=persistent_id).order_by("month", "id")
    outcomes: list[tuple[str, str]] = []
    for name, month in events.values_list("outcome", "month"):
        if (name, month) not in outcomes:
            outcomes.append((name, month))
    return crime[0], outcomes


# The id last: box rows come unordered, and answers are in id order.
OUTCOME_FIELDS = ("persistent_id", "outcome", "month", "latitude", "longitude", "id")


def _outcome_rows(outcomes: list[tuple[str, str, str]], month: str) -> list[OutcomeRow]:
    """Join outcome events to their crimes; events whose crime we do not hold are left out."""
    crimes: dict[str, CrimeRow] = {}
    for chunk in chunked(sorted({pid for pid, _, _ in outcomes})):
        for crime in _crime_rows(_by_persistent_id(chunk, up_to=month).order_by("month", "id")):
            crimes[crime.persistent_id] = crime  # the latest record of the id wins
    return [
        OutcomeRow(outcome=name, month=month, crime=crimes[pid])
        for pid, name, month in outcomes
        if pid in crimes
    ]


def outcomes_in_area(*, area: Area, month: str, limit: int | None) -> list[OutcomeRow]:
    queryset = Outcome.objects.filter(month=month, location__isnull=False, **area.bbox_filter())
    rows = inside(box_rows(queryset, OUTCOME_FIELDS, what="outcomes"), area, 3, 4)
    rows.sort(key=lambda row: row[5])
    if limit is not None and len(rows) > limit:
        raise AreaTooLargeError(f"the area holds more than {limit} outcomes: draw a smaller one")
    return _outcome_rows([(row[0], row[1], row[2]) for row in rows], month)


def outcomes_at_location(*, location_id: int, month: str) -> list[OutcomeRow]:
    rows = Outcome.objects.filter(month=month, location_id=location_id).order_by("id")
    return _outcome_rows(list(rows.values_list("persistent_id", "outcome", "month")), month)
