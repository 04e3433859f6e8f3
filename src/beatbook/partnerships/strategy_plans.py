"""Making a partnership plan: its priorities, objectives, actions and measures, and publishing it.

Every change checks everything it is given first and raises ``ValidationError`` by field, in
plain English, before it writes anything; each runs in one transaction, so bad input changes
nothing. A measure's baseline is computed from the data (``strategy_indicators``), never typed:
only its target is. Who may call these is the views' question (``selectors.may_plan``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from beatbook.accounts.models import Organisation
from beatbook.analysis.indicator_series import indicator_label
from beatbook.insights.areas import AreaError
from beatbook.partnerships.models import (
    Action,
    ActionStatus,
    Assessment,
    Direction,
    Measure,
    Objective,
    Partnership,
    PartnershipPlan,
    PlanPriority,
)
from beatbook.partnerships.strategy_indicators import (
    IndicatorError,
    indicator_choices,
    indicator_year_value,
)

FIRST_YEAR = 2000
LAST_YEAR = 2100
LONGEST_PLAN = 10
STEP = 10
Errors = dict[str, list[str]]


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _clean(text: str | None) -> str:
    return (text or "").strip()


# --- The plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDetails:
    title: str
    year_from: int | None
    year_to: int | None
    introduction: str = ""


def _check_plan(details: PlanDetails, errors: Errors) -> None:
    if not _clean(details.title):
        errors.setdefault("title", []).append("Enter the plan's title")
    for field, value in (("year_from", details.year_from), ("year_to", details.year_to)):
        if value is None:
            errors.setdefault(field, []).append("Enter a year, like 2026")
        elif not FIRST_YEAR <= value <= LAST_YEAR:
            errors.setdefault(field, []).append(f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}")
    if errors.get("year_from") or errors.get("year_to"):
        return
    assert details.year_from is not None
    assert details.year_to is not None
    if details.year_to < details.year_from:
        errors["year_to"] = ["The last year must be the same as or after the first year"]
    elif details.year_to - details.year_from + 1 > LONGEST_PLAN:
        errors["year_to"] = [f"A plan covers at most {LONGEST_PLAN} years"]


def _recommended(assessment: Assessment) -> list[dict[str, Any]]:
    """The assessment's recommended priorities, or none when its summary has none."""
    summary = assessment.summary if isinstance(assessment.summary, dict) else {}
    found = summary.get("recommended_priorities")
    if not isinstance(found, list):
        return []
    return [
        item for item in found if isinstance(item, dict) and _clean(str(item.get("title") or ""))
    ]


def _rationale(item: dict[str, Any], assessment: Assessment) -> str:
    evidence = item.get("evidence") or ""
    if isinstance(evidence, list):
        evidence = " ".join(str(part) for part in evidence)
    score = item.get("score")
    scored = f" Its score in the {assessment.year} assessment was {score}." if score else ""
    return f"{_clean(str(evidence))}{scored}".strip()


def plan_create(
    *, partnership: Partnership, details: PlanDetails, assessment: Assessment | None = None
) -> PartnershipPlan:
    """A draft plan; from an assessment, with its recommended priorities in its order."""
    errors: Errors = {}
    _check_plan(details, errors)
    if assessment is not None and assessment.partnership_id != partnership.pk:
        errors["assessment"] = ["Choose one of this partnership's own assessments"]
    _raise(errors)
    assert details.year_from is not None
    assert details.year_to is not None
    with transaction.atomic():
        plan = PartnershipPlan.objects.create(
            partnership=partnership,
            title=_clean(details.title),
            year_from=details.year_from,
            year_to=details.year_to,
            introduction=_clean(details.introduction),
            assessment=assessment,
        )
        for number, item in enumerate(_recommended(assessment) if assessment else [], 1):
            PlanPriority.objects.create(
                plan=plan,
                title=_clean(str(item["title"]))[:160],
                rationale=_rationale(item, assessment),  # type: ignore[arg-type]
                order=number * STEP,
            )
    return plan


def plan_update(*, plan: PartnershipPlan, details: PlanDetails) -> PartnershipPlan:
    errors: Errors = {}
    _check_plan(details, errors)
    if not errors:
        assert details.year_to is not None
        late = Measure.objects.filter(
            objective__priority__plan=plan, baseline_year__gte=details.year_to
        )
        if late.exists():
            errors["year_to"] = [
                "A measure's baseline year must be before the plan's last year: "
                "change those measures first"
            ]
    _raise(errors)
    with transaction.atomic():
        plan.title = _clean(details.title)
        plan.year_from = details.year_from  # type: ignore[assignment]
        plan.year_to = details.year_to  # type: ignore[assignment]
        plan.introduction = _clean(details.introduction)
        plan.save()
    return plan


def plan_publish(*, plan: PartnershipPlan, now: datetime | None = None) -> PartnershipPlan:
    """Shows the plan on the partnership's public page (when the partnership is published)."""
    if not plan.priorities.exists():
        raise ValidationError("Add at least one priority before publishing the plan.")
    with transaction.atomic():
        plan.published = True
        plan.published_at = now or timezone.now()
        plan.save(update_fields=["published", "published_at", "updated_at"])
    return plan


def plan_unpublish(*, plan: PartnershipPlan) -> PartnershipPlan:
    with transaction.atomic():
        plan.published = False
        plan.published_at = None
        plan.save(update_fields=["published", "published_at", "updated_at"])
    return plan


# --- Order ------------------------------------------------------------------------------------


def _next_order(siblings: models.QuerySet[Any]) -> int:
    return (siblings.aggregate(top=models.Max("order"))["top"] or 0) + STEP


def _move(item: Any, siblings: models.QuerySet[Any], direction: str) -> None:
    """Swaps ``item`` with its neighbour above ("up") or below ("down"); renumbers all."""
    if direction not in {"up", "down"}:
        raise ValidationError("Say whether to move it up or down.")
    with transaction.atomic():
        ordered = list(siblings.select_for_update().order_by("order", "id"))
        index = next(i for i, row in enumerate(ordered) if row.pk == item.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
        for number, row in enumerate(ordered, 1):
            if row.order != number * STEP:
                row.order = number * STEP
                row.save(update_fields=["order"])


# --- Priorities and objectives ----------------------------------------------------------------


def _check_text(value: str, field: str, what: str, limit: int | None = None) -> None:
    text = _clean(value)
    if not text:
        raise ValidationError({field: [f"Enter the {what}"]})
    if limit is not None and len(text) > limit:
        raise ValidationError({field: [f"The {what} must be {limit} characters or fewer"]})


def priority_add(*, plan: PartnershipPlan, title: str, rationale: str = "") -> PlanPriority:
    _check_text(title, "title", "priority", 160)
    with transaction.atomic():
        return PlanPriority.objects.create(
            plan=plan,
            title=_clean(title),
            rationale=_clean(rationale),
            order=_next_order(plan.priorities.all()),
        )


def priority_update(*, priority: PlanPriority, title: str, rationale: str = "") -> PlanPriority:
    _check_text(title, "title", "priority", 160)
    priority.title = _clean(title)
    priority.rationale = _clean(rationale)
    priority.save(update_fields=["title", "rationale"])
    return priority


def priority_move(*, priority: PlanPriority, direction: str) -> None:
    _move(priority, priority.plan.priorities.all(), direction)


def priority_delete(*, priority: PlanPriority) -> None:
    """Removes the priority with its objectives and measures; their actions stay, unlinked."""
    with transaction.atomic():
        priority.delete()


def objective_add(*, priority: PlanPriority, text: str) -> Objective:
    _check_text(text, "text", "objective")
    with transaction.atomic():
        return Objective.objects.create(
            priority=priority, text=_clean(text), order=_next_order(priority.objectives.all())
        )


def objective_update(*, objective: Objective, text: str) -> Objective:
    _check_text(text, "text", "objective")
    objective.text = _clean(text)
    objective.save(update_fields=["text"])
    return objective


def objective_move(*, objective: Objective, direction: str) -> None:
    _move(objective, objective.priority.objectives.all(), direction)


def objective_delete(*, objective: Objective) -> None:
    with transaction.atomic():
        objective.delete()


# --- Actions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDetails:
    description: str
    owner: Organisation | None
    lead: str
    due: date | None
    status: str = ActionStatus.NOT_STARTED
    completed_on: date | None = None
    progress_note: str = ""


def action_owners(*, partnership: Partnership) -> list[Organisation]:
    """The organisations that may own an action: the partnership's member organisations."""
    ids = partnership.members.exclude(organisation=None).values("organisation")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _check_action(partnership: Partnership, details: ActionDetails, today: date) -> None:
    errors: Errors = {}
    if not _clean(details.description):
        errors["description"] = ["Enter what the action is"]
    if details.owner is None:
        errors["owner"] = ["Choose the organisation that owns the action"]
    elif details.owner not in action_owners(partnership=partnership):
        errors["owner"] = [f"{details.owner} is not a member of {partnership}"]
    if details.due is None:
        errors["due"] = ["Enter the date the action is due"]
    if details.status not in ActionStatus.values:
        errors["status"] = ["Choose the action's status"]
    elif details.status == ActionStatus.DONE and details.completed_on is None:
        errors["completed_on"] = ["Enter the date a done action was completed"]
    elif details.status != ActionStatus.DONE and details.completed_on is not None:
        errors["completed_on"] = ["Only a done action has a completion date: clear it"]
    if details.completed_on is not None and details.completed_on > today:
        errors.setdefault("completed_on", []).append("The completion date cannot be in the future")
    _raise(errors)


def _action_fields(details: ActionDetails) -> dict[str, Any]:
    return {
        "description": _clean(details.description),
        "owner": details.owner,
        "lead": _clean(details.lead),
        "due": details.due,
        "status": details.status,
        "completed_on": details.completed_on,
        "progress_note": _clean(details.progress_note),
    }


def action_add(
    *, objective: Objective, details: ActionDetails, today: date | None = None
) -> Action:
    partnership = objective.priority.plan.partnership
    _check_action(partnership, details, today or timezone.localdate())
    with transaction.atomic():
        return Action.objects.create(
            partnership=partnership, objective=objective, **_action_fields(details)
        )


def action_update(*, action: Action, details: ActionDetails, today: date | None = None) -> Action:
    _check_action(action.partnership, details, today or timezone.localdate())
    with transaction.atomic():
        for name, value in _action_fields(details).items():
            setattr(action, name, value)
        action.save()
    return action


def action_delete(*, action: Action) -> None:
    with transaction.atomic():
        action.delete()


# --- Measures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureDetails:
    indicator: str
    baseline_year: int | None
    target: float | None
    direction: str = Direction.DOWN


def _check_indicator(plan: PartnershipPlan, details: MeasureDetails, errors: Errors) -> None:
    keys = {choice.key for choice in indicator_choices(partnership=plan.partnership)}
    if details.indicator not in keys:
        errors["indicator"] = ["Choose an indicator from the list"]
    if details.baseline_year is None:
        errors["baseline_year"] = ["Enter the baseline year, like 2025"]
    elif not FIRST_YEAR <= details.baseline_year < plan.year_to:
        errors["baseline_year"] = [
            f"The baseline year must be from {FIRST_YEAR} to {plan.year_to - 1}, "
            "before the plan's last year"
        ]
    if details.target is None:
        errors["target"] = ["Enter the target, a number like 25.5"]
    elif not 0 <= details.target < 1e9:
        errors["target"] = ["The target must be 0 or more"]
    if details.direction not in Direction.values:
        errors["direction"] = ["Choose whether lower or higher is better"]


def _baseline(plan: PartnershipPlan, details: MeasureDetails) -> float:
    """The indicator over the baseline year, from the data; raises when it cannot be had."""
    assert details.baseline_year is not None
    try:
        found = indicator_year_value(
            partnership=plan.partnership,
            indicator=details.indicator,
            year_number=details.baseline_year,
        )
    except (AreaError, IndicatorError) as error:
        raise ValidationError({"indicator": [str(error)]}) from error
    if found.value is None:
        raise ValidationError(
            {"baseline_year": [f"No baseline for {details.baseline_year}. {found.reason}"]}
        )
    return round(found.value, 4)


def _check_target(baseline: float, details: MeasureDetails) -> None:
    assert details.target is not None
    worse = (
        details.target > baseline
        if details.direction == Direction.DOWN
        else (details.target < baseline)
    )
    if worse:
        better = "lower" if details.direction == Direction.DOWN else "higher"
        raise ValidationError(
            {
                "target": [
                    f"{better.capitalize()} is better, so the target must be {better} than or "
                    f"the same as the baseline ({baseline:g} in {details.baseline_year})"
                ]
            }
        )


def _measure_values(plan: PartnershipPlan, details: MeasureDetails) -> dict[str, Any]:
    errors: Errors = {}
    _check_indicator(plan, details, errors)
    _raise(errors)
    baseline = _baseline(plan, details)
    _check_target(baseline, details)
    return {
        "indicator": details.indicator,
        "baseline_year": details.baseline_year,
        "baseline": baseline,
        "target": details.target,
        "direction": details.direction,
    }


def measure_add(*, objective: Objective, details: MeasureDetails) -> Measure:
    values = _measure_values(objective.priority.plan, details)
    with transaction.atomic():
        return Measure.objects.create(
            objective=objective, order=_next_order(objective.measures.all()), **values
        )


def measure_update(*, measure: Measure, details: MeasureDetails) -> Measure:
    values = _measure_values(measure.objective.priority.plan, details)
    with transaction.atomic():
        for name, value in values.items():
            setattr(measure, name, value)
        measure.save()
    return measure


def measure_move(*, measure: Measure, direction: str) -> None:
    _move(measure, measure.objective.measures.all(), direction)


def measure_delete(*, measure: Measure) -> None:
    with transaction.atomic():
        measure.delete()


def measure_label(measure: Measure) -> str:
    try:
        return indicator_label(measure.indicator)
    except IndicatorError:
        return measure.indicator


def plan_outline(*, plan: PartnershipPlan) -> Sequence[PlanPriority]:
    """The plan's priorities with their objectives, actions and measures, in one go."""
    return list(
        plan.priorities.prefetch_related(
            "objectives__measures",
            models.Prefetch("objectives__actions", queryset=Action.objects.select_related("owner")),
        )
    )


def latest_published_plan(*, partnership: Partnership) -> PartnershipPlan | None:
    """The plan the public sees: the published plan that starts latest (then the latest
    published), or None."""
    return (
        partnership.plans.filter(published=True)
        .order_by("-year_from", "-published_at", "-id")
        .first()
    )
