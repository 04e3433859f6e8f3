"""The demo's partnership plan (issue 16): the Stoke-on-Trent Safer City Partnership's plan for
2026 to 2028, published, with the five priorities of its needs assessment (violent crime,
offending behaviour, drug and alcohol misuse, anti-social behaviour, community resilience),
objectives, actions owned by its member organisations (some overdue, some done, dated from
today) and measures on indicators computed from the demo's crime data.

Made through the plan services, so every baseline is computed, never typed: a measure's
baseline year is the latest whole calendar year before the plan that the data holds, and its
target a share of that baseline. A measure whose indicator the data cannot give is left out.
Each run deletes the previous sample plan (and its actions) and makes it again; nothing staff
entered is touched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from beatbook.accounts.models import Organisation, OrganisationKind
from beatbook.demo.sample_partnership import NAME
from beatbook.partnerships.assessment_data import (
    AssessmentError,
    assessment_data_version,
    assessment_partnership_area,
)
from beatbook.partnerships.assessment_records import assessment_latest_year, assessment_store
from beatbook.partnerships.models import (
    Action,
    ActionStatus,
    Assessment,
    Direction,
    Meeting,
    Objective,
    Partnership,
    PartnershipPlan,
)
from beatbook.partnerships.strategy_indicators import indicator_choices, indicator_year_value
from beatbook.partnerships.strategy_plans import (
    ActionDetails,
    MeasureDetails,
    PlanDetails,
    action_add,
    action_owners,
    measure_add,
    objective_add,
    plan_create,
    plan_publish,
    priority_add,
)

YEAR_FROM, YEAR_TO = 2026, 2028
EARLIEST_BASELINE = 2010


@dataclass(frozen=True)
class SampleAction:
    owner_kind: str
    description: str
    lead: str
    due_in_days: int  # from today: below zero is in the past
    status: str
    done_days_ago: int | None = None


@dataclass(frozen=True)
class SampleMeasure:
    indicator: str
    target_share: float  # of the baseline
    direction: str = Direction.DOWN


@dataclass(frozen=True)
class SampleObjective:
    text: str
    actions: tuple[SampleAction, ...]
    measures: tuple[SampleMeasure, ...]


@dataclass(frozen=True)
class SamplePriority:
    title: str
    rationale: str
    objectives: tuple[SampleObjective, ...]


K = OrganisationKind
S = ActionStatus
PRIORITIES: tuple[SamplePriority, ...] = (
    SamplePriority(
        "Violent crime",
        "Violence and sexual offences cause the most harm of any crime in the city.",
        (
            SampleObjective(
                "Reduce violence in the night-time economy and in public places",
                (
                    SampleAction(
                        K.POLICE_FORCE,
                        "Patrols in Hanley's night-time economy on Friday and Saturday nights",
                        "Insp. Sam Clarke",
                        -45,
                        S.IN_PROGRESS,
                    ),
                    SampleAction(
                        K.LOCAL_AUTHORITY,
                        "Licensing reviews of the venues with the most violence nearby",
                        "Licensing manager",
                        120,
                        S.NOT_STARTED,
                    ),
                ),
                (SampleMeasure("violent-crime/per_1000", 0.9),),
            ),
        ),
    ),
    SamplePriority(
        "Offending behaviour",
        "A small number of people commit a large share of crime, and many reoffend.",
        (
            SampleObjective(
                "Reduce reoffending by those who cause the most harm",
                (
                    SampleAction(
                        K.PROBATION,
                        "Integrated offender management for the most prolific offenders",
                        "Senior probation officer",
                        -20,
                        S.DONE,
                        25,
                    ),
                    SampleAction(
                        K.YOUTH_OFFENDING,
                        "Support with every out-of-court disposal for young people",
                        "Youth offending team manager",
                        200,
                        S.IN_PROGRESS,
                    ),
                ),
                (SampleMeasure("all-crime/per_1000", 0.95),),
            ),
        ),
    ),
    SamplePriority(
        "Drug and alcohol misuse",
        "Drugs and alcohol drive violence, acquisitive crime and anti-social behaviour.",
        (
            SampleObjective(
                "Disrupt drug supply and get more people into treatment",
                (
                    SampleAction(
                        K.POLICE_FORCE,
                        "Warrants at the addresses residents report for drug dealing",
                        "DI Priya Shah",
                        -10,
                        S.NOT_STARTED,
                    ),
                    SampleAction(
                        K.HEALTH,
                        "Referrals to treatment from custody",
                        "Commissioning lead",
                        90,
                        S.IN_PROGRESS,
                    ),
                ),
                # Finding more drug offences is the work of proactive policing: higher is better.
                (SampleMeasure("drugs/count", 1.1, Direction.UP),),
            ),
        ),
    ),
    SamplePriority(
        "Anti-social behaviour",
        "Residents raise anti-social behaviour more than any other problem.",
        (
            SampleObjective(
                "Fewer incidents in the places residents tell us about",
                (
                    SampleAction(
                        K.LOCAL_AUTHORITY,
                        "Joint patrols with community wardens in the city's parks",
                        "Community safety manager",
                        -60,
                        S.DONE,
                        70,
                    ),
                    SampleAction(
                        K.FIRE_AND_RESCUE,
                        "Deliberate fire-setting lessons in every secondary school",
                        "Group manager, prevention",
                        150,
                        S.NOT_STARTED,
                    ),
                ),
                (
                    SampleMeasure("anti-social-behaviour/count", 0.85),
                    SampleMeasure("criminal-damage-arson/per_1000", 0.9),
                ),
            ),
        ),
    ),
    SamplePriority(
        "Community resilience",
        "Safer neighbourhoods need residents who know their teams and take part.",
        (
            SampleObjective(
                "More residents take part and feel safe where they live",
                (
                    SampleAction(
                        K.VOLUNTARY,
                        "Community safety surgeries in every ward",
                        "Volunteer coordinator",
                        60,
                        S.IN_PROGRESS,
                    ),
                    SampleAction(
                        K.POLICE_FORCE,
                        "Neighbourhood watch schemes in the streets with the most burglary",
                        "PCSO coordinator",
                        -5,
                        S.IN_PROGRESS,
                    ),
                ),
                (SampleMeasure("burglary/per_1000", 0.9),),
            ),
        ),
    ),
)


def _owner(owners: list[Organisation], kind: str) -> Organisation | None:
    """The member organisation of that kind, else the police, else the first member."""
    for wanted in (kind, OrganisationKind.POLICE_FORCE):
        for organisation in owners:
            if organisation.kind == wanted:
                return organisation
    return owners[0] if owners else None


def _baseline_year(partnership: Partnership) -> int | None:
    """The latest whole calendar year before the plan that the data holds."""
    for year in range(YEAR_FROM - 1, EARLIEST_BASELINE - 1, -1):
        found = indicator_year_value(
            partnership=partnership, indicator="all-crime/count", year_number=year
        )
        if found.value is not None:
            return year
    return None


def _target(baseline: float, measure: SampleMeasure) -> float:
    """A share of the baseline, never on the wrong side of it: a whole number for a count, to
    one decimal place for a rate."""
    places = 1 if measure.indicator.endswith("/per_1000") else 0
    scale = 10.0**places
    scaled = baseline * measure.target_share * scale
    rounded = math.ceil(scaled) if measure.direction == Direction.UP else math.floor(scaled)
    return rounded / scale


def _add_actions(objective: Objective, sample: SampleObjective, owners: list[Organisation]) -> None:
    today = timezone.localdate()
    for item in sample.actions:
        owner = _owner(owners, item.owner_kind)
        if owner is None:
            return
        done: date | None = None
        if item.done_days_ago is not None:
            done = today - timedelta(days=item.done_days_ago)
        action = action_add(
            objective=objective,
            details=ActionDetails(
                description=item.description,
                owner=owner,
                lead=item.lead,
                due=today + timedelta(days=item.due_in_days),
                status=item.status,
                completed_on=done,
            ),
        )
        Action.objects.filter(pk=action.pk).update(sample=True)


def _add_measures(objective: Objective, sample: SampleObjective, year: int | None) -> None:
    partnership = objective.priority.plan.partnership
    offered = {choice.key for choice in indicator_choices(partnership=partnership)}
    for item in sample.measures:
        if year is None or item.indicator not in offered:
            continue
        baseline = indicator_year_value(
            partnership=partnership, indicator=item.indicator, year_number=year
        ).value
        if baseline is None:
            continue
        measure_add(
            objective=objective,
            details=MeasureDetails(
                item.indicator, year, _target(round(baseline, 4), item), item.direction
            ),
        )


def demo_partnership_plan_forget(partnership: Partnership) -> None:
    """Deletes the partnership's sample plans and their sample actions (those raised at the
    sample meetings, under no objective, are ``sample_partnership``'s to keep or remake)."""
    Action.objects.filter(
        partnership=partnership, sample=True, objective__priority__plan__sample=True
    ).delete()
    PartnershipPlan.objects.filter(partnership=partnership, sample=True).delete()


def _assessment_kept(partnership: Partnership) -> tuple[int | None, Assessment | None, bool]:
    """(the latest year of the area's data held, the assessment kept for it, whether that
    assessment was made from the data held now)."""
    try:
        area = assessment_partnership_area(partnership=partnership)
    except AssessmentError:
        return None, None, True
    year = assessment_latest_year(area=area)
    if year is None:
        return None, None, True
    kept = partnership.assessments.filter(year=year).order_by("-created_at").first()
    if kept is None:
        return year, None, False
    try:
        version = assessment_data_version(area=area, year=year)
    except AssessmentError:
        return None, None, True
    return year, kept, kept.data_version == version


def demo_partnership_assessment_ensure(partnership: Partnership) -> Assessment | None:
    """The partnership's kept assessment of the latest year held, made once for each version of
    the data (as an analyst keeps one); None when no year of its area's data is held."""
    year, kept, current = _assessment_kept(partnership)
    if year is None or current:
        return kept
    try:
        return assessment_store(partnership=partnership, year=year, user=None)
    except AssessmentError:
        return None


def demo_partnership_fresh(*, today: date | None = None) -> bool:
    """Whether the demo partnership's meetings and published plan were made today, the plan
    from the assessment of the data held now. Making them takes seconds, so a restart on the
    same day keeps them, as it keeps the teams' sample content."""
    day = today or timezone.localdate()
    plan = (
        PartnershipPlan.objects.filter(sample=True, partnership__name=NAME, created_at__date=day)
        .select_related("partnership")
        .first()
    )
    if plan is None or not plan.published:
        return False
    meetings = Meeting.objects.filter(
        group__partnership=plan.partnership, sample=True, created_at__date=day
    )
    if not meetings.exists():
        return False
    _year, kept, current = _assessment_kept(plan.partnership)
    return current and plan.assessment_id == (kept.pk if kept else None)


@transaction.atomic
def demo_partnership_plan_ensure(
    partnership: Partnership, *, assessment: Assessment | None = None
) -> PartnershipPlan:
    """The partnership's published sample plan for 2026 to 2028, made again from scratch (from
    ``assessment``, when given, as the partnership's needs assessment)."""
    demo_partnership_plan_forget(partnership)
    plan = plan_create(
        partnership=partnership,
        details=PlanDetails(
            f"Partnership plan {YEAR_FROM} to {YEAR_TO}",
            YEAR_FROM,
            YEAR_TO,
            "This plan sets out how the partnership's members will work together to make the "
            "city safer, stronger and healthier, on the five priorities of our needs "
            "assessment. Each measure is computed from police.uk's crime data for the city.",
        ),
    )
    PartnershipPlan.objects.filter(pk=plan.pk).update(sample=True, assessment=assessment)
    owners = action_owners(partnership=partnership)
    year = _baseline_year(partnership)
    for sample in PRIORITIES:
        priority = priority_add(plan=plan, title=sample.title, rationale=sample.rationale)
        for item in sample.objectives:
            objective = objective_add(priority=priority, text=item.text)
            _add_actions(objective, item, owners)
            _add_measures(objective, item, year)
    plan.refresh_from_db()
    return plan_publish(plan=plan)
