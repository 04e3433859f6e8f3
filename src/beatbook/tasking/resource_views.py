"""Tasking's resource pages, under ``staff/tasking/``: the index of tasking's pages, officers,
stations, the rota, abstractions and link officers. Thin: scope with ``tasking.selectors``,
check with a form, change with a service, render.

Whoever has no part in tasking (analysts, partners: ``may_use_tasking``) gets a 403 on every
page here. A row outside the user's scope is a 404, the same answer as for one that does not
exist; a change asked for by someone who may only look is a 403. Only a tasking sergeant of the
force changes its officers, stations, rota and links; a neighbourhood team records its own
officers' abstractions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking import resources, rosters, selectors
from beatbook.tasking.models import Abstraction, Duty, LinkOfficer, Officer, Station, Unit
from beatbook.tasking.resource_forms import (
    AbstractionForm,
    LinkOfficerForm,
    OfficerForm,
    RosterForm,
    StationForm,
    add_service_errors,
)
from beatbook.tasking.shifts import shift_kinds_ensure

STAFF = "staff/tasking/"
View = Callable[..., HttpResponse]


def viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in user through
    return user


def _refused(request: HttpRequest, reason: str, status: int = 403) -> HttpResponse:
    context = {"nav_tasking": True, "reason": reason}
    return render(request, "tasking/resource_refused.html", context, status=status)


def tasking_required(view: View) -> View:
    """Staff with a part in tasking; others get a 403 that says why."""

    @staff_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.may_use_tasking(user=viewer(request)):
            return _refused(
                request, "Tasking is for tasking sergeants, neighbourhood teams and officers."
            )
        return view(request, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("nav_tasking", True)
    form = context.get("form")
    if form is not None and form.errors:
        status = 400
    return render(request, f"tasking/{template}", context, status=status)


def _sergeant_forces(request: HttpRequest) -> QuerySet[Force]:
    return selectors.tasking_forces_for_user(user=viewer(request)).order_by("name")


def _chosen_force(request: HttpRequest) -> Force | None:
    """The force a sergeant's new officer, station or roster is for: the one asked for, or
    their only one (None: they have several and must choose)."""
    forces = _sergeant_forces(request)
    asked = request.POST.get("force") or request.GET.get("force")
    if asked:
        return forces.filter(pk=asked).first()
    return forces.first() if forces.count() == 1 else None


def _choose_force(request: HttpRequest, heading: str) -> HttpResponse:
    return _page(
        request, "resource_force_choice.html", heading=heading, forces=_sergeant_forces(request)
    )


# --- The index -------------------------------------------------------------------------------


@tasking_required
def tasking_index(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    return _page(
        request,
        "resource_index.html",
        sergeant=selectors.tasking_forces_for_user(user=user).exists(),
        records_abstractions=selectors.abstraction_officers_for_user(user=user).exists(),
    )


# --- Officers --------------------------------------------------------------------------------


def _officer_for_viewer(request: HttpRequest, pk: int) -> Officer:
    found = selectors.officers_for_user(user=viewer(request)).filter(pk=pk)
    officer = found.select_related("force", "station", "neighbourhood", "user").first()
    if officer is None:
        raise Http404("Not an officer you work with")
    return officer


@tasking_required
def officer_list(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    unit = request.GET.get("unit", "")
    show_left = request.GET.get("left") == "yes"
    officers = selectors.officers_for_user(user=user).select_related(
        "station", "neighbourhood", "force"
    )
    if unit in Unit.values:
        officers = officers.filter(unit=unit)
    if not show_left:
        officers = officers.filter(active=True)
    sergeant_of = set(selectors.tasking_forces_for_user(user=user).values_list("pk", flat=True))
    return _page(
        request,
        "resource_officers.html",
        officers=officers.prefetch_related("skills").order_by("force", "unit", "collar_number"),
        units=Unit.choices,
        unit=unit,
        show_left=show_left,
        sergeant_of=sergeant_of,
        may_add=bool(sergeant_of),
    )


def _officer_form(request: HttpRequest, force: Force, officer: Officer | None) -> OfficerForm:
    return OfficerForm(
        request.POST or None,
        neighbourhoods=Neighbourhood.objects.filter(force=force).order_by("name"),
        stations=Station.objects.filter(force=force),
        officer=officer,
    )


@tasking_required
def officer_create(request: HttpRequest) -> HttpResponse:
    if not _sergeant_forces(request).exists():
        return _refused(request, "Only a tasking sergeant adds officers.")
    force = _chosen_force(request)
    if force is None:
        return _choose_force(request, "Add an officer")
    form = _officer_form(request, force, None)
    if request.method == "POST" and form.is_valid():
        try:
            officer = resources.officer_create(force=force, details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{officer} is added.")
            return redirect("tasking:officers")
    return _page(
        request,
        "resource_officer_form.html",
        form=form,
        force=force,
        heading="Add an officer",
        back_url=reverse("tasking:officers"),
    )


@tasking_required
def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer_for_viewer(request, pk)
    if not selectors.is_tasking_sergeant(user=viewer(request), force_id=officer.force_id):
        return _refused(request, "Only a tasking sergeant of the officer's force changes them.")
    form = _officer_form(request, officer.force, officer)
    if request.method == "POST" and form.is_valid():
        try:
            resources.officer_update(officer=officer, details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{officer} is saved.")
            return redirect("tasking:officers")
    return _page(
        request,
        "resource_officer_form.html",
        form=form,
        force=officer.force,
        officer=officer,
        heading=f"Change {officer.name}",
        back_url=reverse("tasking:officers"),
    )


@tasking_required
def officer_status(request: HttpRequest, pk: int) -> HttpResponse:
    """POST ``active=no``: the officer has left; ``active=yes``: they are back."""
    officer = _officer_for_viewer(request, pk)
    if not selectors.is_tasking_sergeant(user=viewer(request), force_id=officer.force_id):
        return _refused(request, "Only a tasking sergeant of the officer's force changes them.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.POST.get("active") == "yes":
        resources.officer_reactivate(officer=officer)
        messages.success(request, f"{officer.name} is serving again. Put them on the rota.")
        return redirect("tasking:officers")
    try:
        resources.officer_deactivate(officer=officer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{officer.name} has left: their coming duties are removed.")
    return redirect("tasking:officers")


# --- Stations --------------------------------------------------------------------------------


def _stations_for_viewer(request: HttpRequest) -> QuerySet[Station]:
    forces = selectors.resource_forces_for_user(user=viewer(request))
    return Station.objects.filter(force__in=forces).select_related("force")


@tasking_required
def station_list(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    sergeant_of = set(selectors.tasking_forces_for_user(user=user).values_list("pk", flat=True))
    return _page(
        request,
        "resource_stations.html",
        stations=_stations_for_viewer(request).order_by("force__name", "name"),
        sergeant_of=sergeant_of,
        may_add=bool(sergeant_of),
    )


def _station_values(form: StationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "postcode": data["postcode"],
        "latitude": data["latitude"],
        "longitude": data["longitude"],
    }


@tasking_required
def station_create(request: HttpRequest) -> HttpResponse:
    if not _sergeant_forces(request).exists():
        return _refused(request, "Only a tasking sergeant adds stations.")
    force = _chosen_force(request)
    if force is None:
        return _choose_force(request, "Add a station")
    form = StationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            station = resources.station_create(force=force, **_station_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{station.name} is added.")
            return redirect("tasking:stations")
    return _page(
        request,
        "resource_station_form.html",
        form=form,
        force=force,
        heading="Add a station",
        back_url=reverse("tasking:stations"),
    )


@tasking_required
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_object_or_404(_stations_for_viewer(request), pk=pk)
    if not selectors.is_tasking_sergeant(user=viewer(request), force_id=station.force_id):
        return _refused(request, "Only a tasking sergeant of the station's force changes it.")
    form = StationForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        try:
            resources.station_update(station=station, **_station_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{station.name} is saved.")
            return redirect("tasking:stations")
    return _page(
        request,
        "resource_station_form.html",
        form=form,
        force=station.force,
        station=station,
        heading=f"Change {station.name}",
        back_url=reverse("tasking:stations"),
    )


# --- The rota --------------------------------------------------------------------------------


def _monday(request: HttpRequest) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


@tasking_required
def rota(request: HttpRequest) -> HttpResponse:
    """One week's duties for one team: the tasking team, response, or a neighbourhood team."""
    user = viewer(request)
    monday = _monday(request)
    days = [monday + timedelta(days=n) for n in range(7)]
    sergeant_of = set(selectors.tasking_forces_for_user(user=user).values_list("pk", flat=True))
    # A sergeant plans the tasking team; a neighbourhood team looks at its own rota first.
    unit = request.GET.get("unit", "")
    if unit not in Unit.values:
        unit = Unit.NTT if sergeant_of or user.is_superuser else Unit.NPT
    officers = selectors.officers_for_user(user=user).filter(unit=unit, active=True)
    duties = (
        Duty.objects.filter(officer__in=officers, date__range=(days[0], days[-1]))
        .select_related("shift_kind")
        .order_by("starts")
    )
    grid: dict[int, dict[date, list[Duty]]] = {}
    for duty in duties:
        grid.setdefault(duty.officer_id, {}).setdefault(duty.date, []).append(duty)
    rows = [
        {"officer": officer, "days": [grid.get(officer.pk, {}).get(day, []) for day in days]}
        for officer in officers.select_related("neighbourhood", "force").order_by(
            "force", "neighbourhood__name", "collar_number"
        )
    ]
    return _page(
        request,
        "resource_rota.html",
        days=days,
        rows=rows,
        unit=unit,
        unit_label=Unit(unit).label,
        units=Unit.choices,
        previous_week=monday - timedelta(days=7),
        next_week=monday + timedelta(days=7),
        sergeant_of=sergeant_of,
        may_add=bool(sergeant_of),
    )


@tasking_required
def rota_add(request: HttpRequest) -> HttpResponse:
    """Put officers on a shift for a run of days (one officer on one day is the smallest)."""
    if not _sergeant_forces(request).exists():
        return _refused(request, "Only a tasking sergeant puts officers on the rota.")
    force = _chosen_force(request)
    if force is None:
        return _choose_force(request, "Put officers on a shift")
    kinds = shift_kinds_ensure(force=force)
    unit = request.GET.get("unit") if request.GET.get("unit") in Unit.values else ""
    officers = Officer.objects.filter(force=force, active=True).order_by("unit", "collar_number")
    if unit:
        officers = officers.filter(unit=unit)
    form = RosterForm(
        request.POST or None,
        officers=officers,
        kinds=force.shift_kinds.filter(pk__in=[k.pk for k in kinds]),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = rosters.roster_add(
                officers=list(data["officers"]),
                kind=data["shift"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                weekdays=data["weekdays"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            already = f" ({made.already_on} were already on)" if made.already_on else ""
            duties = "1 duty is" if made.made == 1 else f"{made.made} duties are"
            messages.success(request, f"{duties} on the rota{already}.")
            week = data["first_day"] - timedelta(days=data["first_day"].weekday())
            units = {o.unit for o in data["officers"]}
            shown = units.pop() if len(units) == 1 else Unit.NTT
            return redirect(f"{reverse('tasking:rota')}?week={week}&unit={shown}")
    return _page(
        request,
        "resource_rota_form.html",
        form=form,
        force=force,
        unit=unit,
        heading="Put officers on a shift",
        back_url=reverse("tasking:rota"),
    )


@tasking_required
def duty_remove(request: HttpRequest, pk: int) -> HttpResponse:
    officers = selectors.officers_for_user(user=viewer(request))
    duty = get_object_or_404(
        Duty.objects.filter(officer__in=officers).select_related("officer", "shift_kind"), pk=pk
    )
    if not selectors.is_tasking_sergeant(user=viewer(request), force_id=duty.officer.force_id):
        return _refused(request, "Only a tasking sergeant changes the rota.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    rosters.duty_remove(duty=duty)
    messages.success(
        request, f"{duty.officer.name} is off the {duty.shift_kind.name.lower()} shift."
    )
    week = duty.date - timedelta(days=duty.date.weekday())
    return redirect(f"{reverse('tasking:rota')}?week={week}&unit={duty.officer.unit}")


# --- Abstractions ----------------------------------------------------------------------------


@tasking_required
def abstraction_list(request: HttpRequest) -> HttpResponse:
    """The user's teams' abstractions over the last eight weeks, and the form to record one."""
    user = viewer(request)
    officers = selectors.abstraction_officers_for_user(user=user)
    form = AbstractionForm(
        request.POST or None,
        officers=officers.filter(active=True)
        .select_related("neighbourhood")
        .order_by("neighbourhood__name", "collar_number"),
        initial={"day": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = rosters.abstraction_record(
                officer=data["officer"],
                day=data["day"],
                reason=data["reason"],
                hours=data["hours"],
                note=data["note"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{made.hours.normalize():f} hours of {made.get_reason_display().lower()} are "
                f"recorded for {made.officer.name}.",
            )
            return redirect("tasking:abstractions")
    weeks = rosters.recent_weeks()
    recorded = (
        Abstraction.objects.filter(officer__in=officers, date__gte=weeks[0])
        .select_related("officer__neighbourhood", "recorded_by")
        .order_by("officer__neighbourhood__name", "-date", "officer__collar_number")
    )
    teams: dict[str, list[Abstraction]] = {}
    for abstraction in recorded:
        name = abstraction.officer.neighbourhood.name if abstraction.officer.neighbourhood else ""
        teams.setdefault(name, []).append(abstraction)
    return _page(
        request,
        "resource_abstractions.html",
        form=form,
        teams=teams,
        since=weeks[0],
        has_officers=officers.exists(),
    )


@tasking_required
def abstraction_delete(request: HttpRequest, pk: int) -> HttpResponse:
    officers = selectors.abstraction_officers_for_user(user=viewer(request))
    abstraction = get_object_or_404(
        Abstraction.objects.filter(officer__in=officers).select_related("officer"), pk=pk
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    rosters.abstraction_delete(abstraction=abstraction)
    messages.success(request, f"The abstraction for {abstraction.officer.name} is deleted.")
    return redirect("tasking:abstractions")


# --- Link officers ---------------------------------------------------------------------------


def _link_neighbourhoods(request: HttpRequest) -> QuerySet[Neighbourhood]:
    """A tasking sergeant's force's neighbourhoods, and the user's own teams'."""
    user = viewer(request)
    return Neighbourhood.objects.filter(
        Q(force__in=selectors.tasking_forces_for_user(user=user))
        | Q(pk__in=selectors.team_neighbourhoods(user=user).values("pk"))
    )


@tasking_required
def link_list(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    neighbourhoods = _link_neighbourhoods(request)
    forces = Force.objects.filter(pk__in=neighbourhoods.values("force")).order_by("name")
    force = forces.filter(pk=request.GET.get("force", "")).first() or forces.first()
    shown = neighbourhoods.filter(force=force).order_by("name") if force else []
    links = {
        link.neighbourhood_id: link
        for link in LinkOfficer.objects.filter(neighbourhood__in=shown).select_related(
            "officer", "commander"
        )
    }
    sergeant_of = set(selectors.tasking_forces_for_user(user=user).values_list("pk", flat=True))
    return _page(
        request,
        "resource_links.html",
        rows=[{"neighbourhood": n, "link": links.get(n.pk)} for n in shown],
        force=force,
        forces=forces,
        may_change=force is not None and force.pk in sergeant_of,
    )


@tasking_required
def link_set(request: HttpRequest, pk: int) -> HttpResponse:
    neighbourhood = get_object_or_404(_link_neighbourhoods(request).select_related("force"), pk=pk)
    if not selectors.is_tasking_sergeant(user=viewer(request), force_id=neighbourhood.force_id):
        return _refused(request, "Only a tasking sergeant of the force names link officers.")
    current = LinkOfficer.objects.filter(neighbourhood=neighbourhood).first()
    commanders = resources.commanders_for(neighbourhood=neighbourhood)
    form = LinkOfficerForm(
        request.POST or None,
        officers=Officer.objects.filter(
            force_id=neighbourhood.force_id, unit=Unit.NTT, active=True
        ),
        commanders=User.objects.filter(pk__in=[u.pk for u in commanders]),
        initial={
            "officer": current.officer_id if current else None,
            "commander": current.commander_id if current else None,
        },
    )
    back = f"{reverse('tasking:links')}?force={neighbourhood.force_id}"
    if request.method == "POST" and form.is_valid():
        officer, commander = form.cleaned_data["officer"], form.cleaned_data["commander"]
        try:
            if officer is None:
                resources.link_officer_remove(neighbourhood=neighbourhood)
            else:
                resources.link_officer_set(
                    neighbourhood=neighbourhood, officer=officer, commander=commander
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            named = f"{officer.name} is" if officer else "Nobody is now"
            messages.success(request, f"{named} {neighbourhood.name}'s link officer.")
            return redirect(back)
    return _page(
        request,
        "resource_link_form.html",
        form=form,
        neighbourhood=neighbourhood,
        heading=f"Link officer for {neighbourhood.name}",
        back_url=back,
    )


URLS: list[URLPattern] = [
    path(STAFF, tasking_index, name="index"),
    path(f"{STAFF}officers/", officer_list, name="officers"),
    path(f"{STAFF}officers/add/", officer_create, name="officer-create"),
    path(f"{STAFF}officers/<int:pk>/", officer_edit, name="officer-edit"),
    path(f"{STAFF}officers/<int:pk>/status/", officer_status, name="officer-status"),
    path(f"{STAFF}stations/", station_list, name="stations"),
    path(f"{STAFF}stations/add/", station_create, name="station-create"),
    path(f"{STAFF}stations/<int:pk>/", station_edit, name="station-edit"),
    path(f"{STAFF}rota/", rota, name="rota"),
    path(f"{STAFF}rota/add/", rota_add, name="rota-add"),
    path(f"{STAFF}duties/<int:pk>/remove/", duty_remove, name="duty-remove"),
    path(f"{STAFF}abstractions/", abstraction_list, name="abstractions"),
    path(f"{STAFF}abstractions/<int:pk>/delete/", abstraction_delete, name="abstraction-delete"),
    path(f"{STAFF}links/", link_list, name="links"),
    path(f"{STAFF}links/<int:pk>/", link_set, name="link-set"),
]
