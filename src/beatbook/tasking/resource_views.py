"""Tasking's resource pages, under ``staff/tasking/``: the index of tasking's pages, officers,
stations and the rota (abstractions and link officers are in ``resource_team_views``, whose
routes are listed with these). Thin: scope with ``tasking.selectors``,
check with a form, change with a service, render.

Whoever has no part in tasking (analysts, partners: ``may_use_tasking``) gets a 403 on every
page here. A row outside the user's scope is a 404, the same answer as for one that does not
exist; a change asked for by someone who may only look is a 403. Only a tasking sergeant of the
force changes its officers, stations, rota and links; a neighbourhood team records its own
officers' abstractions.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking import resource_team_views, resources, rosters, selectors
from beatbook.tasking.models import Duty, Officer, Station, Unit
from beatbook.tasking.resource_forms import (
    OfficerForm,
    RosterForm,
    StationForm,
    add_service_errors,
)
from beatbook.tasking.resource_pages import (
    STAFF,
    choose_force,
    chosen_force,
    refuse,
    render_page,
    sergeant_forces,
    tasking_required,
    viewer,
)
from beatbook.tasking.shifts import shift_kinds_ensure

# --- The index -------------------------------------------------------------------------------


@tasking_required
def tasking_index(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    return render_page(
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
    return render_page(
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
    if not sergeant_forces(request).exists():
        return refuse(request, "Only a tasking sergeant adds officers.")
    force = chosen_force(request)
    if force is None:
        return choose_force(request, "Add an officer")
    form = _officer_form(request, force, None)
    if request.method == "POST" and form.is_valid():
        try:
            officer = resources.officer_create(force=force, details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{officer} is added.")
            return redirect("tasking:officers")
    return render_page(
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
        return refuse(request, "Only a tasking sergeant of the officer's force changes them.")
    form = _officer_form(request, officer.force, officer)
    if request.method == "POST" and form.is_valid():
        try:
            resources.officer_update(officer=officer, details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{officer} is saved.")
            return redirect("tasking:officers")
    return render_page(
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
        return refuse(request, "Only a tasking sergeant of the officer's force changes them.")
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
    return render_page(
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
    if not sergeant_forces(request).exists():
        return refuse(request, "Only a tasking sergeant adds stations.")
    force = chosen_force(request)
    if force is None:
        return choose_force(request, "Add a station")
    form = StationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            station = resources.station_create(force=force, **_station_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{station.name} is added.")
            return redirect("tasking:stations")
    return render_page(
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
        return refuse(request, "Only a tasking sergeant of the station's force changes it.")
    form = StationForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        try:
            resources.station_update(station=station, **_station_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{station.name} is saved.")
            return redirect("tasking:stations")
    return render_page(
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
    return render_page(
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
    if not sergeant_forces(request).exists():
        return refuse(request, "Only a tasking sergeant puts officers on the rota.")
    force = chosen_force(request)
    if force is None:
        return choose_force(request, "Put officers on a shift")
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
    return render_page(
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
        return refuse(request, "Only a tasking sergeant changes the rota.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    rosters.duty_remove(duty=duty)
    messages.success(
        request, f"{duty.officer.name} is off the {duty.shift_kind.name.lower()} shift."
    )
    week = duty.date - timedelta(days=duty.date.weekday())
    return redirect(f"{reverse('tasking:rota')}?week={week}&unit={duty.officer.unit}")


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
    *resource_team_views.URLS,
]
