"""Operations' planning pages for staff and the public operation page. Thin: scope with a
selector, check with a form, change with a service, render.

An operation the user's organisations are not part of is a 404, the same answer as for one that
does not exist; a page that changes it, for someone who may only look, is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import Organisation, User
from beatbook.operations import selectors, services, summaries
from beatbook.operations.forms import ActivityForm, OperationForm, PartnerForm, add_service_errors
from beatbook.operations.models import Activity, Operation, OperationPartner
from beatbook.places.models import Neighbourhood


def viewer(request: HttpRequest) -> User:
    """The signed-in member of staff, typed as ours: selectors scope every read by them."""
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in user through
    return user


def operation_for_viewer(request: HttpRequest, pk: int) -> Operation:
    """An operation the user may see, or 404."""
    found = selectors.operations_for_user(user=viewer(request)).filter(pk=pk)
    operation = found.select_related("kind", "force", "lead", "lead_organisation").first()
    if operation is None:
        raise Http404("Not an operation you are part of")
    return operation


@staff_required
def operation_list(request: HttpRequest) -> HttpResponse:
    operations = (
        selectors.operations_for_user(user=viewer(request))
        .select_related("kind", "lead_organisation")
        .order_by("-first_day", "name")
    )
    today = timezone.localdate()
    return render(
        request,
        "operations/list.html",
        {
            "nav_operations": True,
            "may_plan": selectors.lead_organisations_for_user(user=viewer(request)).exists(),
            "current": [o for o in operations if o.last_day >= today],
            "past": [o for o in operations if o.last_day < today],
        },
    )


@staff_required
def operation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_for_viewer(request, pk)
    user = viewer(request)
    activities = selectors.activities_for_user(user=user, operation=operation).prefetch_related(
        "organisations", "staff"
    )
    return render(
        request,
        "operations/detail.html",
        {
            "nav_operations": True,
            "operation": operation,
            "lsoa_count": operation.lsoas.count(),
            "partners": operation.partners.select_related("organisation"),
            "activities": activities,
            "may_change": selectors.may_change_operation(user=user, operation=operation),
            "may_contribute": selectors.may_contribute(user=user, operation=operation),
        },
    )


def operation_public(request: HttpRequest, pk: int) -> HttpResponse:
    operation = get_object_or_404(
        selectors.public_operations().select_related("kind", "force", "lead_organisation"), pk=pk
    )
    activities = selectors.public_activities(operation=operation)
    public_figures = selectors.public_results(operation)
    now = timezone.now()
    return render(
        request,
        "operations/public.html",
        {
            "operation": operation,
            "coming": [a for a in activities if a.end >= now],
            "done": [a for a in activities if a.end < now],
            "partners": operation.partners.select_related("organisation"),
            "public_figures": public_figures,
            "what_we_did": summaries.what_we_did(public_figures) if public_figures else [],
        },
    )


# --- planning --------------------------------------------------------------------------------


def _refused(request: HttpRequest, operation: Operation | None = None) -> HttpResponse:
    return render(
        request,
        "operations/read_only.html",
        {"nav_operations": True, "operation": operation},
        status=403,
    )


def _operation_form(request: HttpRequest, operation: Operation | None) -> OperationForm:
    user = viewer(request)
    organisations = selectors.lead_organisations_for_user(user=user)
    if operation is not None:
        organisations = organisations | Organisation.objects.filter(
            pk=operation.lead_organisation_id
        )
    forces = {o.force_id for o in organisations if o.force_id}
    neighbourhoods = Neighbourhood.objects.filter(force_id__in=forces).order_by("name")
    return OperationForm(
        request.POST or None,
        user=user,
        organisations=organisations.distinct().order_by("name"),
        neighbourhoods=neighbourhoods,
        operation=operation,
    )


def _form_page(request: HttpRequest, template: str, **context: Any) -> HttpResponse:
    context.setdefault("nav_operations", True)
    return render(request, template, context, status=400 if context["form"].errors else 200)


@staff_required
def operation_create(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    if not selectors.lead_organisations_for_user(user=user).exists():
        return _refused(request)
    form = _operation_form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            operation = services.operation_create(by=user, details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{operation.name} is planned. Add its partners and activities."
            )
            return redirect("operations:detail", operation.pk)
    return _form_page(
        request,
        "operations/operation_form.html",
        form=form,
        heading="Plan an operation",
        back_url=reverse("operations:list"),
    )


@staff_required
def operation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_for_viewer(request, pk)
    if not selectors.may_change_operation(user=viewer(request), operation=operation):
        return _refused(request, operation)
    form = _operation_form(request, operation)
    if request.method == "POST" and form.is_valid():
        try:
            services.operation_update(operation=operation, details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The operation is saved.")
            return redirect("operations:detail", operation.pk)
    return _form_page(
        request,
        "operations/operation_form.html",
        form=form,
        operation=operation,
        heading=f"Change {operation.name}",
        back_url=reverse("operations:detail", args=[operation.pk]),
    )


@staff_required
def operation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_for_viewer(request, pk)
    if not selectors.may_change_operation(user=viewer(request), operation=operation):
        return _refused(request, operation)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    public = request.POST.get("public") == "yes"
    services.operation_publish(operation=operation, public=public)
    if public:
        messages.success(
            request, "The operation is published. Enforcement and warrants stay private."
        )
    else:
        messages.success(request, "The operation is no longer published.")
    return redirect("operations:detail", operation.pk)


@staff_required
def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_for_viewer(request, pk)
    if not selectors.may_change_operation(user=viewer(request), operation=operation):
        return _refused(request, operation)
    form = PartnerForm(request.POST or None, operation=operation)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_add(operation=operation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['organisation']} is a partner.")
            return redirect("operations:detail", operation.pk)
    return _form_page(
        request,
        "operations/partner_form.html",
        form=form,
        operation=operation,
        heading="Add a partner",
        back_url=reverse("operations:detail", args=[operation.pk]),
    )


@staff_required
def partner_remove(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(OperationPartner.objects.select_related("organisation"), pk=pk)
    operation = operation_for_viewer(request, partner.operation_id)
    if not selectors.may_change_operation(user=viewer(request), operation=operation):
        return _refused(request, operation)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.partner_remove(partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{partner.organisation} is no longer a partner.")
    return redirect("operations:detail", operation.pk)


def _activity_for_viewer(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("operation"), pk=pk)
    visible = selectors.activities_for_user(user=viewer(request), operation=activity.operation)
    if not visible.filter(pk=pk).exists():
        raise Http404("Not an activity you may see")
    return activity


@staff_required
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_for_viewer(request, pk)
    if not selectors.may_contribute(user=viewer(request), operation=operation):
        return _refused(request, operation)
    form = ActivityForm(request.POST or None, operation=operation)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(operation=operation, details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['title']} is added.")
            return redirect("operations:detail", operation.pk)
    return _form_page(
        request,
        "operations/activity_form.html",
        form=form,
        operation=operation,
        heading="Add an activity",
        back_url=reverse("operations:detail", args=[operation.pk]),
    )


@staff_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_for_viewer(request, pk)
    operation = activity.operation
    if not selectors.may_change_activity(user=viewer(request), activity=activity):
        return _refused(request, operation)
    form = ActivityForm(request.POST or None, operation=operation, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{activity.title} is saved.")
            return redirect("operations:detail", operation.pk)
    return _form_page(
        request,
        "operations/activity_form.html",
        form=form,
        operation=operation,
        activity=activity,
        heading=f"Change {activity.title}",
        back_url=reverse("operations:detail", args=[operation.pk]),
    )


@staff_required
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_for_viewer(request, pk)
    operation = activity.operation
    if not selectors.may_change_activity(user=viewer(request), activity=activity):
        return _refused(request, operation)
    if request.method == "POST":
        services.activity_delete(activity=activity)
        messages.success(request, f"{activity.title} is deleted.")
        return redirect("operations:detail", operation.pk)
    return render(
        request,
        "operations/activity_delete.html",
        {"nav_operations": True, "activity": activity, "operation": operation},
    )
