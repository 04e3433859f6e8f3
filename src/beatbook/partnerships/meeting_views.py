"""A partnership's meetings, under ``staff/partnerships/<slug>/meetings/``: scheduling one, its
agenda (built by ``meeting_agendas``, or kept with the minutes), and recording its minutes.
Everyone in the partnership reads them; planners (``selectors.may_plan``) schedule meetings and
record minutes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import Organisation
from beatbook.operations.forms import add_service_errors
from beatbook.partnerships import meeting_services, selectors
from beatbook.partnerships.meeting_agendas import meeting_agenda, previous_meeting
from beatbook.partnerships.meeting_forms import MeetingForm, MinutesForm
from beatbook.partnerships.models import Meeting, Partnership
from beatbook.partnerships.partnership_views import (
    STAFF,
    partnership_for_viewer,
    refused,
    show,
    viewer,
)

MEETINGS = f"{STAFF}<slug:slug>/meetings/"


def _meeting(partnership: Partnership, pk: int) -> Meeting:
    found = Meeting.objects.filter(group__partnership=partnership, pk=pk).select_related("group")
    meeting = found.first()
    if meeting is None:
        raise Http404("Not a meeting of this partnership")
    return meeting


def _member_organisations(partnership: Partnership) -> QuerySet[Organisation]:
    members = partnership.members.exclude(organisation=None).values("organisation")
    return Organisation.objects.filter(pk__in=members).order_by("name")


@staff_required
def meeting_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_viewer(request, slug)
    if not selectors.may_plan(user=viewer(request), partnership=partnership):
        return refused(request, "Only the partnership's planners schedule its meetings.")
    form = MeetingForm(request.POST or None, groups=partnership.groups.all())
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.meeting_schedule(
                group=form.cleaned_data["group"],
                starts_at=form.starts_at(),
                place=form.cleaned_data["place"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{meeting} is scheduled.")
            return redirect("partnerships:meeting_detail", slug=slug, pk=meeting.pk)
    back = reverse("partnerships:partnership_detail", kwargs={"slug": slug})
    return show(
        request,
        "partnerships/meeting_schedule.html",
        {"partnership": partnership, "form": form, "back_url": back},
    )


@staff_required
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for_viewer(request, slug)
    meeting = _meeting(partnership, pk)
    return show(
        request,
        "partnerships/meeting_detail.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "agenda": meeting_agenda(meeting=meeting),
            "previous": previous_meeting(meeting),
            "decisions": meeting.decisions.all(),
            "actions": meeting.actions.select_related("owner"),
            "may_plan": selectors.may_plan(user=viewer(request), partnership=partnership),
        },
    )


@staff_required
def meeting_minutes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for_viewer(request, slug)
    meeting = _meeting(partnership, pk)
    if not selectors.may_plan(user=viewer(request), partnership=partnership):
        return refused(request, "Only the partnership's planners record minutes.")
    organisations = _member_organisations(partnership)
    form = MinutesForm(
        request.POST or None,
        organisations=organisations,
        initial={"minutes": meeting.minutes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_minutes_save(
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                decisions=form.decision_texts(),
                actions=form.new_actions(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The minutes are saved, with the agenda as it stood.")
            return redirect("partnerships:meeting_detail", slug=slug, pk=meeting.pk)
    back = reverse("partnerships:meeting_detail", kwargs={"slug": slug, "pk": meeting.pk})
    return show(
        request,
        "partnerships/meeting_minutes.html",
        {"partnership": partnership, "meeting": meeting, "form": form, "back_url": back},
    )


URLS: list[URLPattern] = [
    path(f"{MEETINGS}new/", meeting_schedule, name="meeting_schedule"),
    path(f"{MEETINGS}<int:pk>/", meeting_detail, name="meeting_detail"),
    path(f"{MEETINGS}<int:pk>/minutes/", meeting_minutes, name="meeting_minutes"),
]
