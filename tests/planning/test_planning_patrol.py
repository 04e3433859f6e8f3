"""Patrol plans: every plan keeps every rule (checked by ``plan_violations`` and again by an
independent referee), the rules each bite where they should, the objective counts repeats as
documented, infeasible instances are named, and the same seed gives the same plan."""

from __future__ import annotations

import json
import math
from datetime import timedelta

import pytest

from beatbook.planning.patrol import (
    OfficerRoute,
    PatrolInstance,
    PatrolPlan,
    PlanInfeasible,
    PlannedVisit,
    greedy_plan,
    patrol_plan,
    plan_objective,
    plan_to_json,
    plan_violations,
)

from .patrol_referee import HANLEY, at, instance, metres_away, officer, place, referee, worth

QUICK = 0.5


def planned(problem: PatrolInstance, *, seed: int = 0, time_limit: float = QUICK) -> PatrolPlan:
    """Plan, and check the plan twice over: a broken rule fails the test whoever finds it."""
    plan = patrol_plan(problem, time_limit=time_limit, seed=seed)
    assert plan_violations(problem, plan.routes) == []
    assert referee(problem, plan.routes) == []
    assert plan.objective == pytest.approx(worth(problem, plan.routes))
    assert plan.objective <= plan.bound + 1e-9
    return plan


def visits_of(plan: PatrolPlan, who: str | None = None) -> list[PlannedVisit]:
    return [v for r in plan.routes if who in (None, r.officer) for v in r.visits]


def test_a_place_that_needs_a_skill_is_visited_only_by_an_officer_who_holds_it() -> None:
    problem = instance(
        [officer("A"), officer("B", skills=frozenset({"dog"}))],
        [
            place("kennel", 800, 0, 10.0, skills=frozenset({"dog"}), max_visits=3),
            place("shops", -800, 0, 1.0, max_visits=3),
        ],
    )

    plan = planned(problem)

    kennel = [v for v in visits_of(plan) if v.place == "kennel"]
    assert len(kennel) == 3
    assert all(v in visits_of(plan, "B") for v in kennel)


def test_visits_sit_inside_an_officers_two_intervals_of_availability() -> None:
    two = ((at(0), at(120)), (at(300), at(420)))
    problem = instance(
        [officer("A", available=two)],
        [place(f"p{i}", 300 * i, 200, 1.0 + i, max_visits=3) for i in range(6)],
    )

    plan = planned(problem)

    assert visits_of(plan)
    for visit in visits_of(plan):
        assert any(a <= visit.start and visit.end <= b for a, b in two)
    # Both intervals are used: there is more worth visiting than either holds.
    assert any(v.end <= at(120) for v in visits_of(plan))
    assert any(v.start >= at(300) for v in visits_of(plan))


def test_a_visit_lies_wholly_inside_one_of_the_places_windows() -> None:
    windows = ((at(180), at(200)), (at(240), at(260)))  # 20 minutes each: one visit fits
    problem = instance([officer("A")], [place("pub", 500, 500, 5.0, windows=windows, max_visits=3)])

    plan = planned(problem)

    starts = sorted(v.start for v in visits_of(plan))
    # A visit and a 60-minute gap (75 minutes) cannot fit in either window twice, nor in both
    # (they start 60 minutes apart): one visit.
    assert len(starts) == 1
    assert any(a <= starts[0] and starts[0] + timedelta(minutes=15) <= b for a, b in windows)


def test_repeat_visits_keep_the_gap_between_the_end_of_one_and_the_start_of_the_next() -> None:
    problem = instance([officer("A"), officer("B")], [place("park", 400, 0, 4.0, max_visits=3)])

    plan = planned(problem)

    times = sorted((v.start, v.end) for v in visits_of(plan))
    assert len(times) == 3
    for (_, end), (start, _) in zip(times, times[1:], strict=False):
        assert start - end >= timedelta(minutes=60)
    assert plan.objective == pytest.approx(4.0 * (1.0 + 0.5 + 0.25))


def test_with_no_gap_visits_may_follow_on_at_once() -> None:
    # A 40-minute availability holds two back-to-back visits to a place at the base only.
    problem = instance(
        [officer("A", available=((at(0), at(30)),))],
        [place("station", 0, 0, 2.0, max_visits=2)],
        min_gap_minutes=0,
    )

    plan = planned(problem)

    assert [v.start for v in visits_of(plan)] == [at(0), at(15)]


def test_the_kth_visit_earns_its_repeat_value_and_nothing_past_the_list() -> None:
    problem = instance(
        [officer("A")],
        [place("square", 300, 0, 8.0, max_visits=4)],
        repeat_value=(1.0, 0.25),
    )

    plan = planned(problem)

    # A third visit would earn nothing, so it is not planned.
    assert len(visits_of(plan)) == 2
    assert plan.objective == pytest.approx(8.0 * 1.25)
    extra = OfficerRoute("A", (*plan.routes[0].visits, PlannedVisit("square", at(400), at(415))))
    assert plan_objective(problem, [extra]) == pytest.approx(8.0 * 1.25)


def test_max_visits_caps_a_place() -> None:
    problem = instance(
        [officer("A"), officer("B")],
        [place("hot", 200, 0, 50.0, max_visits=2), place("cold", -200, 0, 0.1, max_visits=1)],
    )

    plan = planned(problem)

    assert sorted(v.place for v in visits_of(plan)) == ["cold", "hot", "hot"]


@pytest.mark.parametrize("home", [True, False])
def test_return_to_base_leaves_time_for_the_journey_home(home: bool) -> None:
    # 3 km at 20 km/h is 9 minutes: out 9, visit 15, back 9 is 33 minutes, in 30 available.
    problem = instance(
        [officer("A", available=((at(0), at(30)),))],
        [place("far", 3000, 0, 1.0)],
        return_to_base=home,
    )

    plan = planned(problem)

    assert len(visits_of(plan)) == (0 if home else 1)


def test_required_visits_are_made_inside_their_windows() -> None:
    request = ((at(300), at(360)),)
    problem = instance(
        [officer("A")],
        [
            place("request", 2500, 0, 0.01, windows=request, min_visits=1),
            *(place(f"hot{i}", -300 * i, 0, 10.0, max_visits=3) for i in range(1, 6)),
        ],
    )

    plan = planned(problem)

    made = [v for v in visits_of(plan) if v.place == "request"]
    assert len(made) == 1
    assert request[0][0] <= made[0].start
    assert made[0].end <= request[0][1]


@pytest.mark.parametrize(
    ("places", "message"),
    [
        ([place("kennel", 0, 0, 1.0, skills=frozenset({"dog"}), min_visits=1)], r"kennel .*skills"),
        (
            [place("late", 0, 0, 1.0, windows=((at(400), at(470)),), min_visits=1)],
            r"late needs 1 visit\(s\) but no officer who may visit it can get there",
        ),
        (
            [place("busy", 0, 0, 1.0, windows=((at(60), at(180)),), min_visits=3, max_visits=3)],
            r"busy needs 3 visits but at most 2 fit",
        ),
    ],
)
def test_an_infeasible_instance_names_what_cannot_be_met(places: list, message: str) -> None:
    problem = instance([officer("A", available=((at(0), at(300)),))], places)

    with pytest.raises(PlanInfeasible, match=message) as caught:
        patrol_plan(problem, time_limit=QUICK)
    assert caught.value.reasons


def test_more_required_minutes_than_officers_have_is_infeasible() -> None:
    problem = instance(
        [officer("A", available=((at(0), at(60)),))],
        [place(f"r{i}", 10 * i, 0, 1.0, min_visits=1) for i in range(5)],
    )

    with pytest.raises(PlanInfeasible, match="officer-minutes"):
        patrol_plan(problem, time_limit=QUICK)


def symmetric() -> PatrolInstance:
    """Two officers at one base and a ring of 32 equal places, twice what time allows."""
    places = [place(f"ring{i:02d}", *_ring(i), 1.0, max_visits=2) for i in range(32)]
    return instance(
        [officer("A", available=((at(0), at(150)),)), officer("B", available=((at(0), at(150)),))],
        places,
    )


def _ring(i: int) -> tuple[float, float]:
    return 1500 * math.cos(i * math.pi / 16), 1500 * math.sin(i * math.pi / 16)


def test_the_same_seed_gives_the_same_plan_byte_for_byte() -> None:
    problem = symmetric()

    first = json.dumps(plan_to_json(planned(problem, seed=7)))

    assert json.dumps(plan_to_json(planned(problem, seed=7))) == first


def test_different_seeds_usually_give_different_plans() -> None:
    problem = symmetric()

    plans = {json.dumps(plan_to_json(planned(problem, seed=seed))["routes"]) for seed in range(4)}

    assert len(plans) >= 2


def test_the_search_is_never_worse_than_greedy() -> None:
    problem = instance(
        [officer("A"), officer("B", where=metres_away(HANLEY, 2000, 0))],
        [
            place(f"p{i}", 250 * (i % 8), 300 * (i // 8), 1.0 + (i * 7) % 5, max_visits=3)
            for i in range(24)
        ],
    )

    greedy = greedy_plan(problem)
    plan = planned(problem)

    assert plan_violations(problem, greedy.routes) == []
    assert referee(problem, greedy.routes) == []
    assert plan.objective >= greedy.objective
    assert plan.greedy == pytest.approx(greedy.objective)


def test_plan_violations_names_each_broken_rule() -> None:
    problem = instance(
        [officer("A", available=((at(0), at(240)),))],
        [
            place("kennel", 0, 0, 1.0, skills=frozenset({"dog"})),
            place("pub", 3000, 0, 1.0, windows=((at(60), at(120)),), max_visits=2),
        ],
    )
    routes = [
        OfficerRoute(
            "A",
            (
                PlannedVisit("kennel", at(0), at(15)),
                PlannedVisit("pub", at(20), at(35)),
                PlannedVisit("pub", at(60), at(80)),
                PlannedVisit("pub", at(230), at(245)),
            ),
        ),
        OfficerRoute("Z", ()),
    ]

    problems = "\n".join(plan_violations(problem, routes))

    assert "no officer 'Z'" in problems
    assert "needs skills the officer lacks: dog" in problems
    assert "cannot get from kennel to pub in time" in problems
    assert "outside the place's windows" in problems
    assert "lasts 20 minutes" in problems
    assert "outside the officer's availability" in problems
    assert "pub has 3 visits; at most 2 are allowed" in problems
    assert "minutes apart" in problems
