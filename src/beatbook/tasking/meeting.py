"""The tasking meeting (TT&CG): what the tasking team's sergeants, and the neighbourhood
inspectors for their own neighbourhoods, look at together each period.

- **New requests** made since the last period began, and how many still wait for a decision.
- **The coming period's hotspots and forecast**, from the analysis pages' stored results
  (``insights.stored_results``): the same result the hotspot and forecast pages show. A result
  not made yet is asked of the worker and the page says it is being prepared, as those pages
  do; it is never worked out inside the request.
- **Last period's results**: requests whose days fell in it, by outcome; visits planned and
  done, and what officers logged (arrests, stop and searches...), from ``VisitResult``.
- **Link officers**: each neighbourhood's named tasking-team officer.

An inspector's meeting is scoped to their neighbourhoods: requests and visits there, link
officers there, and hotspot and forecast cells whose centres fall in their neighbourhoods'
bounding boxes (boundaries are kept as boxes and GeoJSON, not in a spatial database).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum

from beatbook.accounts.access import is_staff_member
from beatbook.accounts.models import Role, User
from beatbook.accounts.selectors import neighbourhoods_for_user
from beatbook.analysis.hotspots import HotspotOptions
from beatbook.common.months import add_months
from beatbook.insights.backtest_store import HEADLINE_CATEGORIES
from beatbook.insights.forecast_views import forecast_params, forecast_result_spec
from beatbook.insights.hotspot_maps import HotspotRequest, hotspot_params, hotspot_result_spec
from beatbook.insights.results_refresh import HOTSPOT_MONTHS
from beatbook.insights.selectors import months_held
from beatbook.insights.stored_results import Outcome, ResultSpec, result_obtain, result_read
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking.models import (
    LinkOfficer,
    PlanVisit,
    RequestOutcome,
    RequestStatus,
    TaskingRequest,
    VisitResult,
)
from beatbook.tasking.patrol_cells import CELL_SIZE_M, Cell
from beatbook.tasking.selectors import tasking_forces_for_user

LONDON = ZoneInfo("Europe/London")
DEFAULT_DAYS = 7  # the NTT meets weekly
MAX_DAYS = 92
TOP_CELLS = 10
RESULT_FIELDS = (
    ("arrests", "Arrests"),
    ("stop_searches", "Stop and searches"),
    ("anpr_hits", "ANPR hits"),
    ("intelligence_submitted", "Intelligence submitted"),
    ("people_engaged", "People engaged"),
    ("repeat_victims_contacted", "Repeat victims contacted"),
    ("minutes_in_place", "Minutes in place"),
)


@dataclass(frozen=True)
class MeetingScope:
    force: Force
    # None: the whole force (a tasking sergeant); else an inspector's neighbourhoods.
    neighbourhoods: tuple[Neighbourhood, ...] | None = None

    def requests(self) -> QuerySet[TaskingRequest]:
        found = TaskingRequest.objects.filter(force=self.force)
        if self.neighbourhoods is not None:
            found = found.filter(neighbourhood__in=self.neighbourhoods)
        return found

    def holds(self, latitude: float, longitude: float) -> bool:
        """Whether a point is in the scope's neighbourhoods' boxes (always, for the force)."""
        if self.neighbourhoods is None:
            return True
        return any(
            n.min_lat is not None
            and n.max_lat is not None
            and n.min_lng is not None
            and n.max_lng is not None
            and n.min_lat <= latitude <= n.max_lat
            and n.min_lng <= longitude <= n.max_lng
            for n in self.neighbourhoods
        )


def _inspector_neighbourhoods(user: User) -> QuerySet[Neighbourhood]:
    return neighbourhoods_for_user(user=user, roles=(Role.NEIGHBOURHOOD_INSPECTOR,))


def meeting_forces_for(*, user: User) -> QuerySet[Force]:
    """The forces whose meeting the user may open: as a tasking sergeant or an inspector."""
    if not is_staff_member(user):
        return Force.objects.none()
    inspected = _inspector_neighbourhoods(user).values("force")
    return Force.objects.filter(
        Q(pk__in=tasking_forces_for_user(user=user).values("pk")) | Q(pk__in=inspected)
    ).order_by("name")


def meeting_scope(*, user: User, force: Force) -> MeetingScope | None:
    """What of the force's meeting the user sees; None if they may not see it."""
    if tasking_forces_for_user(user=user).filter(pk=force.pk).exists():
        return MeetingScope(force=force)
    mine = tuple(_inspector_neighbourhoods(user).filter(force=force).order_by("name"))
    if mine:
        return MeetingScope(force=force, neighbourhoods=mine)
    return None


def meeting_period(first: date | None, last: date | None, *, today: date) -> tuple[date, date]:
    """The coming period: the days asked for, or the week from today; ValueError in plain words
    for days out of order or a period longer than three months."""
    first = first or today
    last = last or first + timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise ValueError("The period's last day must be the same as or after its first day.")
    if (last - first).days >= MAX_DAYS:
        raise ValueError("Choose a period of at most three months.")
    return first, last


@dataclass
class Meeting:
    scope: MeetingScope
    first: date
    last: date
    last_first: date
    last_last: date
    new_requests: list[TaskingRequest] = field(default_factory=list)
    waiting: int = 0
    coming: list[TaskingRequest] = field(default_factory=list)
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    visits_planned: int = 0
    visits_done: int = 0
    visits_logged: int = 0
    visits_unlogged: int = 0
    totals: list[tuple[str, int]] = field(default_factory=list)
    links: list[tuple[Neighbourhood, LinkOfficer | None]] = field(default_factory=list)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


def meeting_build(*, scope: MeetingScope, first: date, last: date) -> Meeting:
    """Everything the meeting shows but the hotspots and forecast (``meeting_insights``)."""
    length = (last - first).days + 1
    meeting = Meeting(
        scope=scope,
        first=first,
        last=last,
        last_first=first - timedelta(days=length),
        last_last=first - timedelta(days=1),
    )
    requests = scope.requests().select_related("neighbourhood", "requested_by")
    meeting.new_requests = list(
        requests.filter(created_at__gte=_moment(meeting.last_first)).order_by("-created_at")
    )
    meeting.waiting = requests.filter(status=RequestStatus.SUBMITTED).count()
    meeting.coming = list(
        requests.filter(
            status=RequestStatus.APPROVED, first_day__lte=last, last_day__gte=first
        ).order_by("first_day")
    )
    _last_period(meeting)
    _links(meeting)
    return meeting


def _last_period(meeting: Meeting) -> None:
    """Last period's requests by outcome, and its visits and what they achieved."""
    scope = meeting.scope
    past = scope.requests().filter(
        status=RequestStatus.APPROVED,
        first_day__lte=meeting.last_last,
        last_day__gte=meeting.last_first,
    )
    # order_by(): the model's ordering would otherwise split the groups.
    grouped = past.order_by().values("outcome").annotate(n=Count("pk"))
    counted = {row["outcome"]: row["n"] for row in grouped}
    meeting.outcomes = [(label, counted.get(value, 0)) for value, label in RequestOutcome.choices]
    meeting.outcomes.append(("No outcome recorded yet", counted.get("", 0)))

    visits = PlanVisit.objects.filter(
        plan__force=scope.force,
        starts__gte=_moment(meeting.last_first),
        starts__lt=_moment(meeting.first),
    )
    if scope.neighbourhoods is not None:
        visits = visits.filter(place__neighbourhood__in=scope.neighbourhoods)
    meeting.visits_planned = visits.count()
    results = VisitResult.objects.filter(visit__in=visits)
    sums = results.aggregate(
        logged=Count("pk"),
        done=Count("pk", filter=Q(done=True)),
        **{name: Sum(name) for name, _ in RESULT_FIELDS},
    )
    meeting.visits_logged = sums["logged"] or 0
    meeting.visits_done = sums["done"] or 0
    meeting.visits_unlogged = meeting.visits_planned - meeting.visits_logged
    meeting.totals = [(label, sums[name] or 0) for name, label in RESULT_FIELDS]


def _links(meeting: Meeting) -> None:
    scope = meeting.scope
    hoods = (
        list(scope.neighbourhoods)
        if scope.neighbourhoods is not None
        else list(Neighbourhood.objects.filter(force=scope.force).order_by("name"))
    )
    links = {
        link.neighbourhood_id: link
        for link in LinkOfficer.objects.filter(neighbourhood__in=hoods).select_related(
            "officer", "commander"
        )
    }
    meeting.links = [(hood, links.get(hood.pk)) for hood in hoods]


# --- Hotspots and forecast, from the analysis pages' stored results ---------------------------


@dataclass(frozen=True)
class Insight:
    """One analysis result for the meeting: its top cells when ready, a reason when there is
    none, or the outcome still being prepared."""

    title: str
    outcome: Outcome | None
    kind: str = ""
    cells: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    url: str = ""


def hotspot_spec(force: Force, held: list[str]) -> ResultSpec:
    """The hotspot map the hotspot page opens on, which the worker keeps made."""
    last = held[-1]
    request = HotspotRequest(
        force_id=force.pk,
        month_from=add_months(last, 1 - HOTSPOT_MONTHS),
        month_to=last,
        options=HotspotOptions(method="kde", cell_size=float(CELL_SIZE_M)),
    )
    return hotspot_result_spec(hotspot_params(request))


def forecast_spec(force: Force) -> ResultSpec:
    """Next month's all-crime forecast, as the forecast page opens on."""
    return forecast_result_spec(forecast_params(force.pk, HEADLINE_CATEGORIES[0], None))


def _cell_of(easting: float, northing: float, size: float) -> Cell:
    """The 250 m cell holding the centre of an analysis cell."""
    x = (easting + size / 2) // CELL_SIZE_M * CELL_SIZE_M
    y = (northing + size / 2) // CELL_SIZE_M * CELL_SIZE_M
    return Cell(int(x), int(y))


def hotspot_cells(payload: dict[str, Any], scope: MeetingScope) -> list[dict[str, Any]]:
    """The hotspot result's top places in the scope, as cells with what the page says."""
    found = []
    for place in payload.get("places", []):
        if not scope.holds(place["latitude"], place["longitude"]):
            continue
        cell = _cell_of(place["easting"], place["northing"], CELL_SIZE_M)
        where = place.get("street_name") or place.get("lsoa_name") or ""
        found.append(
            {
                "key": cell.key,
                "rank": place["rank"],
                "where": where,
                "neighbourhood": place.get("neighbourhood_name") or "",
                "crimes": place.get("crimes", 0),
                "category": place.get("top_category") or "",
            }
        )
    return found[:TOP_CELLS]


def forecast_cells(payload: dict[str, Any], scope: MeetingScope) -> list[dict[str, Any]]:
    """The forecast's highest-ranked cells in the scope."""
    found = []
    for row in payload.get("top_cells", []):
        size = float(row.get("size_m", CELL_SIZE_M))
        cell = _cell_of(row["easting"], row["northing"], size)
        latitude, longitude = cell.centre()
        if scope.holds(latitude, longitude):
            found.append({"key": cell.key, "rank": row["rank"], "score": row["score"]})
    return found[:TOP_CELLS]


def meeting_insights(*, scope: MeetingScope, user: User) -> list[Insight]:
    """The hotspots of the last months held and next month's forecast, each ready, being
    prepared by the worker, or not possible (no crime data)."""
    held = months_held(force_ids=[scope.force.pk])
    if not held:
        note = (
            f"No crime data is loaded for {scope.force.name}, so there are no hotspots or "
            "forecast yet."
        )
        return [Insight(title="Hotspots and forecast", outcome=None, note=note)]
    # Only the force's tasking sergeants and inspectors get here (``meeting_scope``), and they
    # work in it; a superuser may see every force.
    allowed = None if user.is_superuser else [scope.force.pk]
    hotspots = result_obtain(hotspot_spec(scope.force, held), allowed_force_ids=allowed)
    forecast = result_obtain(forecast_spec(scope.force), allowed_force_ids=allowed)
    months = f"{add_months(held[-1], 1 - HOTSPOT_MONTHS)} to {held[-1]}"
    return [
        Insight(
            title="Hotspots",
            outcome=hotspots,
            kind="hotspots",
            cells=hotspot_cells(hotspots.payload, scope) if hotspots.payload else [],
            note=f"Where crime was densest from {months} (kernel density, 250 m cells).",
            url="analytics:hotspots",
        ),
        Insight(
            title="Forecast for next month",
            outcome=forecast,
            kind="forecast",
            cells=forecast_cells(forecast.payload, scope) if forecast.payload else [],
            note=f"The cells forecast to have the most crime in {add_months(held[-1], 1)}.",
            url="analytics:forecast",
        ),
    ]


def hotspots_offered(*, force: Force, neighbourhood: Neighbourhood) -> list[dict[str, Any]]:
    """The force's current hotspot cells in the neighbourhood, when the hotspot page's result is
    already stored (only read: a request form never waits for an analysis)."""
    held = months_held(force_ids=[force.pk])
    if not held:
        return []
    found = result_read(hotspot_spec(force, held))
    if found is None or found.payload is None:
        return []
    return hotspot_cells(found.payload, MeetingScope(force=force, neighbourhoods=(neighbourhood,)))
