"""The patrol search (planning.patrol_search) on varied small instances, its determinism, its
clock cap, and the issue's literal greedy baseline."""

from __future__ import annotations

import numpy as np
import pytest

from beatbook.planning import patrol_search
from beatbook.planning.patrol import (
    PatrolInstance,
    greedy_plan,
    patrol_plan,
    plan_violations,
)
from beatbook.planning.patrol_greedy import greedy_schedules
from beatbook.planning.patrol_timing import timing

from .patrol_referee import HANLEY, at, instance, metres_away, officer, place, referee, worth


def varied(number: int) -> PatrolInstance:
    """A small instance drawn at random: windows, two outings, skills, required visits,
    repeats, any gap, with or without the journey home."""
    rng = np.random.default_rng(number)
    officers = []
    for o in range(int(rng.integers(1, 4))):
        available = ((at(0), at(480)),)
        if rng.random() < 0.4:
            away = int(rng.integers(60, 300))
            available = ((at(0), at(away)), (at(away + 60), at(480)))
        skills = frozenset({"driver"}) if rng.random() < 0.5 else frozenset()
        where = metres_away(HANLEY, float(rng.uniform(-2000, 2000)), 0.0)
        officers.append(officer(f"O{o}", where=where, skills=skills, available=available))
    places = []
    for p in range(int(rng.integers(6, 16))):
        opens = int(rng.integers(0, 360))
        windows = ((at(opens), at(opens + int(rng.integers(30, 180)))),)
        places.append(
            place(
                f"P{p}",
                float(rng.uniform(-3000, 3000)),
                float(rng.uniform(-3000, 3000)),
                float(rng.uniform(0, 5)),
                skills=frozenset({"driver"}) if rng.random() < 0.2 else frozenset(),
                windows=windows if rng.random() < 0.4 else ((at(0), at(480)),),
                max_visits=int(rng.integers(1, 4)),
            )
        )
    return instance(
        officers,
        places,
        min_gap_minutes=int(rng.choice([0, 30, 60])),
        return_to_base=bool(rng.random() < 0.7),
    )


@pytest.mark.parametrize("number", range(8))
def test_every_plan_on_varied_instances_keeps_every_rule_and_beats_greedy(number: int) -> None:
    problem = varied(number)

    plan = patrol_plan(problem, time_limit=0.25, seed=number)

    assert plan_violations(problem, plan.routes) == []
    assert referee(problem, plan.routes) == []
    assert plan.objective == pytest.approx(worth(problem, plan.routes))
    assert plan.objective >= greedy_plan(problem).objective - 1e-9
    assert plan.objective <= plan.bound + 1e-9


def test_a_required_visit_survives_the_search() -> None:
    problem = instance(
        [officer("A")],
        [
            place("must", 800, 0, 0.1, min_visits=1, windows=((at(120), at(150)),)),
            *(place(f"p{i}", 300 * i, 200, 5.0, max_visits=3) for i in range(8)),
        ],
    )

    plan = patrol_plan(problem, time_limit=0.5, seed=3)

    assert referee(problem, plan.routes) == []
    assert [v.place for r in plan.routes for v in r.visits].count("must") == 1


def test_the_annealing_search_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    # A hot start makes the search accept many worse steps: they too come from the seed.
    monkeypatch.setattr(patrol_search, "TEMPERATURE", 5.0)
    frame = timing(varied(2))
    start = greedy_schedules(frame)

    first = patrol_search.search(frame, start, time_limit=0.5, seed=11)
    second = patrol_search.search(frame, start, time_limit=0.5, seed=11)

    assert first.schedules == second.schedules
    assert first.steps == second.steps == round(patrol_search.STEPS_PER_SECOND * 0.5)
    assert not first.stopped_by_clock


def test_the_clock_is_a_safety_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patrol_search, "STEPS_PER_SECOND", 10**9)
    problem = varied(5)

    plan = patrol_plan(problem, time_limit=0.05, seed=1)

    assert plan.stopped_by_clock
    assert referee(problem, plan.routes) == []


def test_the_literal_greedy_takes_the_place_worth_most_however_far() -> None:
    problem = instance(
        [officer("A")],
        [place("near", 100, 0, 1.0), place("far", 4000, 0, 1.5)],
        return_to_base=False,
    )

    literal = greedy_plan(problem, per_minute=False)
    per_minute = greedy_plan(problem)

    assert [v.place for v in literal.routes[0].visits][0] == "far"
    assert [v.place for v in per_minute.routes[0].visits][0] == "near"
    assert referee(problem, literal.routes) == []
