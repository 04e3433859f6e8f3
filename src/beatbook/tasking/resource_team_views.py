"""Tasking's pages for neighbourhood teams' own business: the abstractions a team records for
its officers, and the link officers a tasking sergeant names for each team (access as in
``resource_views``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking import resources, rosters, selectors
from beatbook.tasking.models import Abstraction, LinkOfficer, Officer, Unit
from beatbook.tasking.resource_forms import AbstractionForm, LinkOfficerForm, add_service_errors
from beatbook.tasking.resource_pages import (
    STAFF,
    refuse,
    render_page,
    tasking_required,
    viewer,
)

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
    return render_page(
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
    return render_page(
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
        return refuse(request, "Only a tasking sergeant of the force names link officers.")
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
    return render_page(
        request,
        "resource_link_form.html",
        form=form,
        neighbourhood=neighbourhood,
        heading=f"Link officer for {neighbourhood.name}",
        back_url=back,
    )


URLS: list[URLPattern] = [
    path(f"{STAFF}abstractions/", abstraction_list, name="abstractions"),
    path(f"{STAFF}abstractions/<int:pk>/delete/", abstraction_delete, name="abstraction-delete"),
    path(f"{STAFF}links/", link_list, name="links"),
    path(f"{STAFF}links/<int:pk>/", link_set, name="link-set"),
]
