"""The partnership plan's staff pages, under ``staff/partnerships/<slug>/plans/``: the list, a
new plan, the plan (priorities, objectives, actions, measures), its progress, and publishing.

Who sees what is ``partnerships.selectors``: a partnership the user is not in is a 404; its
people read the plan; those who plan (``may_plan``) change it, and everyone else gets a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.partnerships import strategy_plans as plans
from beatbook.partnerships.models import (
    Action,
    Measure,
    Objective,
    Partnership,
    PartnershipPlan,
    PlanPriority,
)
from beatbook.partnerships.selectors import may_plan, partnerships_for_user
from beatbook.partnerships.strategy_charts import measure_chart_svg
from beatbook.partnerships.strategy_forms import (
    ActionForm,
    MeasureForm,
    ObjectiveForm,
    PlanCreateForm,
    PlanForm,
    PriorityForm,
    errors_onto,
)
from beatbook.partnerships.strategy_progress import plan_progress

PLANS = "staff/partnerships/<slug:slug>/plans/"
PLAN = PLANS + "<int:plan_pk>/"


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in user through
    return user


def _partnership(user: User, slug: str) -> Partnership:
    found = partnerships_for_user(user=user).filter(slug=slug).first()
    if found is None:
        raise Http404("Not a partnership you can see")
    return found


def _plan(user: User, slug: str, plan_pk: int) -> PartnershipPlan:
    plan = (
        PartnershipPlan.objects.filter(partnership=_partnership(user, slug), pk=plan_pk)
        .select_related("partnership", "assessment")
        .first()
    )
    if plan is None:
        raise Http404("Not a plan of this partnership")
    return plan


def _require_plan(user: User, partnership: Partnership) -> None:
    if not may_plan(user=user, partnership=partnership):
        raise PermissionDenied("You may read this partnership's plan but not change it.")


def _plan_url(plan: PartnershipPlan, anchor: str = "") -> str:
    url = reverse("partnerships:plan_detail", args=[plan.partnership.slug, plan.pk])
    return f"{url}#{anchor}" if anchor else url


@staff_required
def plan_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = _viewer(request)
    partnership = _partnership(user, slug)
    return render(
        request,
        "partnerships/plan_list.html",
        {
            "partnership": partnership,
            "plans": partnership.plans.all(),
            "may_plan": may_plan(user=user, partnership=partnership),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = _viewer(request)
    partnership = _partnership(user, slug)
    _require_plan(user, partnership)
    assessments = {a.pk: a for a in partnership.assessments.all()}
    choices = [(pk, str(a)) for pk, a in assessments.items()]
    form = PlanCreateForm(request.POST or None, assessments=choices)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                plan = plans.plan_create(
                    partnership=partnership,
                    details=form.details(),
                    assessment=assessments.get(form.cleaned_data["assessment"]),
                )
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, "The plan is made. It is a draft until you publish it.")
                return redirect(_plan_url(plan))
    back = reverse("partnerships:plan_list", args=[slug])
    return _form(request, form, status, heading="Make a plan", caption=partnership.name, back=back)


def _form(
    request: HttpRequest,
    form: forms.Form,
    status: int,
    *,
    heading: str,
    caption: str,
    back: str,
    remove: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "partnerships/plan_form.html",
        {"form": form, "heading": heading, "caption": caption, "back_url": back, "remove": remove},
        status=status,
    )


@staff_required
def plan_detail(request: HttpRequest, slug: str, plan_pk: int) -> HttpResponse:
    user = _viewer(request)
    plan = _plan(user, slug, plan_pk)
    return render(
        request,
        "partnerships/plan_detail.html",
        {
            "partnership": plan.partnership,
            "plan": plan,
            "priorities": plans.plan_outline(plan=plan),
            "may_plan": may_plan(user=user, partnership=plan.partnership),
            "today": timezone.localdate(),
        },
    )


@staff_required
def plan_progress_page(request: HttpRequest, slug: str, plan_pk: int) -> HttpResponse:
    user = _viewer(request)
    plan = _plan(user, slug, plan_pk)
    progress = plan_progress(plan=plan, today=timezone.localdate())
    rows = [{"found": m, "svg": measure_chart_svg(m)} for m in progress.measures]
    return render(
        request,
        "partnerships/plan_progress.html",
        {"partnership": plan.partnership, "plan": plan, "progress": progress, "measure_rows": rows},
    )


# --- Changing the plan: one form page for each kind of part ----------------------------------

Save = Callable[[Any], Model | None]


def _change(
    request: HttpRequest,
    plan: PartnershipPlan,
    form: forms.Form,
    save: Save,
    *,
    heading: str,
    anchor: str = "",
    remove: dict[str, Any] | None = None,
) -> HttpResponse:
    """The form page for one part of the plan: saved through ``save``, or shown with the
    service's errors (status 400)."""
    _require_plan(_viewer(request), plan.partnership)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = save(form)
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, "Saved.")
                mark = f"{type(saved).__name__.lower()}-{saved.pk}" if saved else anchor
                return redirect(_plan_url(plan, mark))
    back = _plan_url(plan, anchor)
    return _form(
        request, form, status, heading=heading, caption=plan.title, back=back, remove=remove
    )


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@staff_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, slug: str, plan_pk: int) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    form = PlanForm(_post(request), plan=plan)

    def save(form: PlanForm) -> None:
        plans.plan_update(plan=plan, details=form.details())

    return _change(
        request, plan, form, save, heading="Change the plan's title, years and introduction"
    )


@staff_required
@require_http_methods(["GET", "POST"])
def priority_new(request: HttpRequest, slug: str, plan_pk: int) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    form = PriorityForm(_post(request))
    return _change(
        request,
        plan,
        form,
        lambda f: plans.priority_add(plan=plan, **f.cleaned_data),
        heading="Add a priority",
    )


def _part(model: type[Model], plan: PartnershipPlan, pk: int, route: str) -> Any:
    found = model._default_manager.filter(**{route: plan}, pk=pk).first()
    if found is None:
        raise Http404("Not a part of this plan")
    return found


def _remover(plan: PartnershipPlan, kind: str, item: Model, noun: str) -> dict[str, Any]:
    return {
        "url": reverse("partnerships:plan_remove", args=[plan.partnership.slug, plan.pk]),
        "item": f"{kind}-{item.pk}",
        "label": f"Remove this {noun}",
    }


@staff_required
@require_http_methods(["GET", "POST"])
def priority_edit(request: HttpRequest, slug: str, plan_pk: int, priority_pk: int) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    item: PlanPriority = _part(PlanPriority, plan, priority_pk, "plan")
    form = PriorityForm(_post(request), item=item)
    return _change(
        request,
        plan,
        form,
        lambda f: plans.priority_update(priority=item, **f.cleaned_data),
        heading="Change the priority",
        anchor=f"planpriority-{item.pk}",
        remove=_remover(plan, "priority", item, "priority, its objectives and measures"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def objective_new(request: HttpRequest, slug: str, plan_pk: int, priority_pk: int) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    priority: PlanPriority = _part(PlanPriority, plan, priority_pk, "plan")
    form = ObjectiveForm(_post(request))
    return _change(
        request,
        plan,
        form,
        lambda f: plans.objective_add(priority=priority, text=f.cleaned_data["text"]),
        heading=f"Add an objective to “{priority.title}”",
        anchor=f"planpriority-{priority.pk}",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def objective_edit(
    request: HttpRequest, slug: str, plan_pk: int, objective_pk: int
) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    item: Objective = _part(Objective, plan, objective_pk, "priority__plan")
    form = ObjectiveForm(_post(request), item=item)
    return _change(
        request,
        plan,
        form,
        lambda f: plans.objective_update(objective=item, text=f.cleaned_data["text"]),
        heading="Change the objective",
        anchor=f"objective-{item.pk}",
        remove=_remover(plan, "objective", item, "objective and its measures"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, slug: str, plan_pk: int, objective_pk: int) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    objective: Objective = _part(Objective, plan, objective_pk, "priority__plan")
    form = ActionForm(_post(request), plan=plan)
    return _change(
        request,
        plan,
        form,
        lambda f: plans.action_add(objective=objective, details=f.details()),
        heading="Add an action",
        anchor=f"objective-{objective.pk}",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, slug: str, plan_pk: int, action_pk: int) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    item: Action = _part(Action, plan, action_pk, "objective__priority__plan")
    form = ActionForm(_post(request), plan=plan, item=item)
    return _change(
        request,
        plan,
        form,
        lambda f: plans.action_update(action=item, details=f.details()),
        heading="Change the action",
        anchor=f"action-{item.pk}",
        remove=_remover(plan, "action", item, "action"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, slug: str, plan_pk: int, objective_pk: int) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    objective: Objective = _part(Objective, plan, objective_pk, "priority__plan")
    form = MeasureForm(_post(request), plan=plan)
    return _change(
        request,
        plan,
        form,
        lambda f: plans.measure_add(objective=objective, details=f.details()),
        heading="Add a measure",
        anchor=f"objective-{objective.pk}",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, slug: str, plan_pk: int, measure_pk: int) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    item: Measure = _part(Measure, plan, measure_pk, "objective__priority__plan")
    form = MeasureForm(_post(request), plan=plan, item=item)
    return _change(
        request,
        plan,
        form,
        lambda f: plans.measure_update(measure=item, details=f.details()),
        heading="Change the measure",
        anchor=f"measure-{item.pk}",
        remove=_remover(plan, "measure", item, "measure"),
    )


# --- Moving, removing, publishing: buttons that POST ------------------------------------------
# Who may is asked before how: a GET from someone outside the partnership is a 404, as any of
# its pages is, and only then is a GET not allowed (405).

PARTS: dict[str, tuple[type[Model], str]] = {
    "priority": (PlanPriority, "plan"),
    "objective": (Objective, "priority__plan"),
    "action": (Action, "objective__priority__plan"),
    "measure": (Measure, "objective__priority__plan"),
}
MOVES: dict[str, Callable[..., None]] = {
    "priority": lambda item, d: plans.priority_move(priority=item, direction=d),
    "objective": lambda item, d: plans.objective_move(objective=item, direction=d),
    "measure": lambda item, d: plans.measure_move(measure=item, direction=d),
}
REMOVES: dict[str, Callable[[Any], None]] = {
    "priority": lambda item: plans.priority_delete(priority=item),
    "objective": lambda item: plans.objective_delete(objective=item),
    "action": lambda item: plans.action_delete(action=item),
    "measure": lambda item: plans.measure_delete(measure=item),
}


def _posted_part(request: HttpRequest, plan: PartnershipPlan) -> tuple[str, Any]:
    kind, _, number = request.POST.get("item", "").partition("-")
    if kind not in PARTS or not number.isdigit():
        raise Http404("Not a part of this plan")
    model, route = PARTS[kind]
    return kind, _part(model, plan, int(number), route)


@staff_required
def plan_move(request: HttpRequest, slug: str, plan_pk: int) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    _require_plan(_viewer(request), plan.partnership)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    kind, item = _posted_part(request, plan)
    if kind not in MOVES:
        raise Http404("Actions are listed by their due date")
    try:
        MOVES[kind](item, request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_plan_url(plan, f"{type(item).__name__.lower()}-{item.pk}"))


@staff_required
def plan_remove(request: HttpRequest, slug: str, plan_pk: int) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    _require_plan(_viewer(request), plan.partnership)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    kind, item = _posted_part(request, plan)
    REMOVES[kind](item)
    messages.success(request, f"The {kind} is removed.")
    return redirect(_plan_url(plan))


@staff_required
def plan_publish(request: HttpRequest, slug: str, plan_pk: int) -> HttpResponse:
    plan = _plan(_viewer(request), slug, plan_pk)
    _require_plan(_viewer(request), plan.partnership)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.POST.get("publish") == "no":
        plans.plan_unpublish(plan=plan)
        messages.success(request, "The plan is no longer published.")
        return redirect(_plan_url(plan))
    try:
        plans.plan_publish(plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The plan is published.")
    return redirect(_plan_url(plan))


URLS: list[URLPattern] = [
    path(PLANS, plan_list, name="plan_list"),
    path(PLANS + "new/", plan_create, name="plan_create"),
    path(PLAN, plan_detail, name="plan_detail"),
    path(PLAN + "edit/", plan_edit, name="plan_edit"),
    path(PLAN + "progress/", plan_progress_page, name="plan_progress"),
    path(PLAN + "publish/", plan_publish, name="plan_publish"),
    path(PLAN + "move/", plan_move, name="plan_move"),
    path(PLAN + "remove/", plan_remove, name="plan_remove"),
    path(PLAN + "priorities/new/", priority_new, name="plan_priority_new"),
    path(PLAN + "priorities/<int:priority_pk>/", priority_edit, name="plan_priority_edit"),
    path(
        PLAN + "priorities/<int:priority_pk>/objectives/new/",
        objective_new,
        name="plan_objective_new",
    ),
    path(PLAN + "objectives/<int:objective_pk>/", objective_edit, name="plan_objective_edit"),
    path(PLAN + "objectives/<int:objective_pk>/actions/new/", action_new, name="plan_action_new"),
    path(
        PLAN + "objectives/<int:objective_pk>/measures/new/",
        measure_new,
        name="plan_measure_new",
    ),
    path(PLAN + "actions/<int:action_pk>/", action_edit, name="plan_action_edit"),
    path(PLAN + "measures/<int:measure_pk>/", measure_edit, name="plan_measure_edit"),
]
