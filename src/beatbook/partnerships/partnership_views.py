"""The partnerships' staff pages under ``staff/partnerships/``: the list, a partnership's
overview, its set-up (details and area, members, groups) and the actions assigned to one's own
organisation. Thin: scope with ``selectors``, check with a form, change with
``partnership_services`` or ``meeting_services``, render.

A partnership the user may not see is a 404, the same answer as for one that does not exist;
a page that changes it, for someone who may see it but not do that, is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import Organisation, Role, User
from beatbook.insights.areas import AreaError
from beatbook.operations.forms import add_service_errors
from beatbook.partnerships import meeting_services, partnership_services, selectors
from beatbook.partnerships.meeting_forms import ActionForm
from beatbook.partnerships.models import Action, Meeting, Partnership, PartnershipMember
from beatbook.partnerships.partnership_areas import partnership_area
from beatbook.partnerships.partnership_forms import (
    GroupForm,
    MemberChangeForm,
    MemberForm,
    PartnershipForm,
)
from beatbook.places.models import Force

STAFF = "staff/partnerships/"


def viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in user through
    return user


def partnership_for_viewer(request: HttpRequest, slug: str) -> Partnership:
    found = selectors.partnerships_for_user(user=viewer(request)).filter(slug=slug).first()
    if found is None:
        raise Http404("Not a partnership you may see")
    return found


def show(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a partnerships page, with "Partnerships" marked as the current navigation item."""
    return render(request, template, {**context, "nav_partnerships": True}, status=status)


def refused(request: HttpRequest, message: str) -> HttpResponse:
    return show(request, "partnerships/partnership_refused.html", {"message": message}, status=403)


def may_create(user: User) -> bool:
    """Setting up a new partnership: an administrator of any organisation, or a superuser."""
    if user.is_superuser:
        return True
    return user.memberships.filter(role=Role.ADMINISTRATOR).exists()


def _set_up_partnership(request: HttpRequest, slug: str) -> Partnership | HttpResponse:
    partnership = partnership_for_viewer(request, slug)
    if not selectors.may_set_up(user=viewer(request), partnership=partnership):
        return refused(request, "Only an administrator of a member organisation sets it up.")
    return partnership


# --- the list and the overview ----------------------------------------------------------------


@staff_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    rows = selectors.partnerships_for_user(user=user).annotate(
        member_count=Count("members", distinct=True)
    )
    return show(
        request,
        "partnerships/partnership_list.html",
        {
            "partnerships": rows.prefetch_related("authorities"),
            "may_create": may_create(user),
            "action_count": selectors.actions_for_user(user=user).count(),
        },
    )


def _area_summary(partnership: Partnership) -> dict[str, Any]:
    try:
        area = partnership_area(partnership=partnership)
    except AreaError as error:
        return {"area_error": str(error)}
    forces = Force.objects.filter(pk__in=area.force_ids).order_by("name")
    return {
        "lsoa_count": len(area.lsoa_codes or ()),
        "forces": list(forces.values_list("name", flat=True)),
        "population": area.population,
    }


@staff_required
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = viewer(request)
    partnership = partnership_for_viewer(request, slug)
    meetings = partnership_meetings(partnership)
    now = timezone.now()
    return show(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "authorities": list(partnership.authorities.values_list("name", flat=True)),
            "members": partnership.members.select_related("organisation"),
            "groups": partnership.groups.annotate(meeting_count=Count("meetings")),
            "upcoming": [m for m in meetings if m.starts_at >= now][::-1],
            "past": [m for m in meetings if m.starts_at < now],
            "may_set_up": selectors.may_set_up(user=user, partnership=partnership),
            "may_plan": selectors.may_plan(user=user, partnership=partnership),
            **_area_summary(partnership),
        },
    )


def partnership_meetings(partnership: Partnership) -> list[Meeting]:
    return list(
        Meeting.objects.filter(group__partnership=partnership)
        .select_related("group")
        .order_by("-starts_at")
    )


# --- set-up -----------------------------------------------------------------------------------


def _save_details(form: PartnershipForm, partnership: Partnership | None) -> Partnership:
    data = form.cleaned_data
    details = partnership_services.PartnershipDetails(
        name=data["name"],
        slug=data["slug"],
        aim=data["aim"],
        get_involved=data["get_involved"],
        contact_email=data["contact_email"],
        published=data["published"],
    )
    with transaction.atomic():
        if partnership is None:
            saved = partnership_services.partnership_create(details=details)
        else:
            saved = partnership_services.partnership_update(
                partnership=partnership, details=details
            )
        partnership_services.partnership_authorities_set(
            partnership=saved, names=form.authority_names()
        )
    return saved


@staff_required
def partnership_create(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    if not may_create(user):
        return refused(request, "Only an administrator sets up a partnership.")
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_details(form, None)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{saved.name} is set up. Now add its members.")
            return redirect("partnerships:partnership_members", slug=saved.slug)
    return show(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "heading": "Set up a partnership", "back_url": reverse(LIST)},
    )


@staff_required
def partnership_edit(request: HttpRequest, slug: str) -> HttpResponse:
    found = _set_up_partnership(request, slug)
    if isinstance(found, HttpResponse):
        return found
    initial = PartnershipForm.initial_for(found)
    form = PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_details(form, found)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{saved.name} is saved.")
            return redirect("partnerships:partnership_detail", slug=saved.slug)
    back = reverse("partnerships:partnership_detail", kwargs={"slug": found.slug})
    return show(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "heading": f"Change {found.name}", "back_url": back, "partnership": found},
    )


@staff_required
def partnership_members(request: HttpRequest, slug: str) -> HttpResponse:
    found = _set_up_partnership(request, slug)
    if isinstance(found, HttpResponse):
        return found
    taken = found.members.exclude(organisation=None).values("organisation")
    form = MemberForm(
        request.POST or None, organisations=Organisation.objects.exclude(pk__in=taken)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = partnership_services.partnership_member_add(
                partnership=found,
                details=partnership_services.MemberDetails(
                    organisation=data["organisation"],
                    name=data["name"],
                    standing=data["standing"],
                    representative=data["representative"],
                    representative_role=data["representative_role"],
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.display_name} is a member.")
            return redirect("partnerships:partnership_members", slug=found.slug)
    return show(
        request,
        "partnerships/partnership_members.html",
        {
            "partnership": found,
            "form": form,
            "members": found.members.select_related("organisation"),
        },
    )


@staff_required
def partnership_member_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _set_up_partnership(request, slug)
    if isinstance(found, HttpResponse):
        return found
    member = get_object_or_404(PartnershipMember, partnership=found, pk=pk)
    initial = {
        "standing": member.standing,
        "representative": member.representative,
        "representative_role": member.representative_role,
    }
    form = MemberChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partnership_services.partnership_member_update(member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.display_name}'s details are saved.")
            return redirect("partnerships:partnership_members", slug=found.slug)
    context = {"partnership": found, "member": member, "form": form}
    return show(request, "partnerships/partnership_member_change.html", context)


@staff_required
def partnership_member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _set_up_partnership(request, slug)
    if isinstance(found, HttpResponse):
        return found
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    member = PartnershipMember.objects.filter(partnership=found, pk=pk).first()
    if member is None:
        raise Http404("Not a member of this partnership")
    try:
        partnership_services.partnership_member_remove(member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.display_name} is no longer a member.")
    return redirect("partnerships:partnership_members", slug=found.slug)


@staff_required
def partnership_groups(request: HttpRequest, slug: str) -> HttpResponse:
    found = _set_up_partnership(request, slug)
    if isinstance(found, HttpResponse):
        return found
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = partnership_services.partnership_group_create(
                partnership=found,
                kind=data["kind"],
                name=data["group_name"],
                remit=data["remit"],
                cadence=data["cadence"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{group.name} is added.")
            return redirect("partnerships:partnership_detail", slug=found.slug)
    return show(
        request,
        "partnerships/partnership_groups.html",
        {"partnership": found, "form": form, "groups": found.groups.all()},
    )


# --- my organisation's actions ----------------------------------------------------------------


@staff_required
def partnership_actions(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    actions = selectors.actions_for_user(user=user).order_by("status", "due", "id")
    today = timezone.localdate()
    open_first = sorted(actions, key=lambda a: (a.status in ("done", "dropped"), a.due, a.pk))
    return show(
        request,
        "partnerships/partnership_actions.html",
        {"actions": open_first, "today": today},
    )


@staff_required
def partnership_action_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer(request)
    visible = Action.objects.filter(
        Q(partnership__in=selectors.partnerships_for_user(user=user)), pk=pk
    ).select_related("partnership", "owner", "meeting")
    action = visible.first()
    if action is None:
        raise Http404("Not an action you may see")
    if not selectors.may_update_action(user=user, action=action):
        return refused(request, "Only its organisation's people and the planners update it.")
    form = ActionForm(
        request.POST or None,
        initial={"status": action.status, "progress_note": action.progress_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.action_update(
                action=action,
                status=form.cleaned_data["status"],
                progress_note=form.cleaned_data["progress_note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The action is updated.")
            return redirect("partnerships:partnership_actions")
    return show(request, "partnerships/partnership_action.html", {"action": action, "form": form})


LIST = "partnerships:partnership_list"

URLS: list[URLPattern] = [
    path(STAFF, partnership_list, name="partnership_list"),
    path(f"{STAFF}new/", partnership_create, name="partnership_create"),
    path(f"{STAFF}actions/", partnership_actions, name="partnership_actions"),
    path(f"{STAFF}actions/<int:pk>/", partnership_action_update, name="partnership_action"),
    path(f"{STAFF}<slug:slug>/", partnership_detail, name="partnership_detail"),
    path(f"{STAFF}<slug:slug>/change/", partnership_edit, name="partnership_edit"),
    path(f"{STAFF}<slug:slug>/members/", partnership_members, name="partnership_members"),
    path(
        f"{STAFF}<slug:slug>/members/<int:pk>/remove/",
        partnership_member_remove,
        name="partnership_member_remove",
    ),
    path(
        f"{STAFF}<slug:slug>/members/<int:pk>/change/",
        partnership_member_change,
        name="partnership_member_change",
    ),
    path(f"{STAFF}<slug:slug>/groups/", partnership_groups, name="partnership_groups"),
]
