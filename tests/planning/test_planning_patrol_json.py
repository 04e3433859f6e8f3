"""Patrol instances and plans in JSON: round trips, a clear message naming each bad field, and
``beatbook plan`` end to end (with no database), writing nothing when it fails."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from beatbook.planning.patrol import (
    instance_from_json,
    instance_to_json,
    patrol_plan,
    plan_from_json,
    plan_to_json,
    plan_violations,
)

from .patrol_referee import instance, officer, place, referee

SRC = Path(__file__).resolve().parents[2] / "src"
DOCS = Path(__file__).resolve().parents[2] / "docs"


def example() -> dict[str, Any]:
    """The worked example of docs/planning.md: its first JSON block."""
    text = (DOCS / "planning.md").read_text(encoding="utf-8")
    block = text.split("```json\n", 1)[1].split("```", 1)[0]
    data: dict[str, Any] = json.loads(block)
    return data


def test_the_documented_example_plans_as_the_page_says() -> None:
    problem = instance_from_json(example())

    plan = patrol_plan(problem, time_limit=2.0, seed=1)

    assert plan_violations(problem, plan.routes) == []
    assert referee(problem, plan.routes) == []
    # Everything fits (the page's point): the square 3 times, the bus station, the car park.
    assert plan.objective == pytest.approx(4.5 * 1.75 + 2.0 + 1.0)
    assert plan.bound == pytest.approx(plan.objective)
    assert plan.visits == 5


def test_an_instance_round_trips_and_missing_keys_take_their_defaults() -> None:
    problem = instance_from_json(example())

    assert problem.officers[1].available == ((problem.shift_start, problem.shift_end),)
    assert problem.places[0].windows == ((problem.shift_start, problem.shift_end),)
    assert problem.places[2].min_visits == 0
    assert problem.places[2].max_visits == 1
    assert problem.rules.visit_minutes == 15
    assert problem.rules.min_gap_minutes == 45
    assert problem.rules.repeat_value == (1.0, 0.5, 0.25)
    assert instance_from_json(json.loads(json.dumps(instance_to_json(problem)))) == problem


def test_a_plan_round_trips_with_its_figures_worked_out_again() -> None:
    problem = instance_from_json(example())
    plan = patrol_plan(problem, time_limit=0.5, seed=3)
    data = json.loads(json.dumps(plan_to_json(plan)))
    data["objective"] = 1e9  # never trusted: worked out again from the routes

    again = plan_from_json(data, problem)

    assert again == plan
    assert data["gap"] == pytest.approx(plan.gap)
    assert plan_violations(problem, again.routes) == []
    assert referee(problem, again.routes) == []


def _set(data: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target = changed
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["places", 1, "value"], -1, r"places\[1\]\.value must be a number at least 0"),
        (["places", 1, "value"], "high", r"places\[1\]\.value must be a number at least 0"),
        (["places", 0, "lat"], 91, r"places\[0\]\.lat must be a number between -90 and 90"),
        (["places", 0, "colour"], "red", r"places\[0\] has an unknown key 'colour'"),
        (["places", 0, "id"], "Car park", r"places\[2\]\.id 'Car park' is used twice"),
        (["places", 1, "min_visits"], 2, r"places\[1\]\.min_visits \(2\) is more than"),
        (["places", 1, "max_visits"], 1.5, r"places\[1\]\.max_visits must be a whole number"),
        (["places", 1, "windows", 0, 0], "13:00", r"places\[1\]\.windows\[0\]\[0\] must be an"),
        (
            ["places", 1, "windows", 0, 0],
            "2026-12-07T13:00:00",
            r"places\[1\]\.windows\[0\]\[0\] must carry an offset",
        ),
        (
            ["places", 1, "windows", 0],
            ["2026-12-07T14:00:00+00:00", "2026-12-07T13:00:00+00:00"],
            r"places\[1\]\.windows\[0\] must end after it starts",
        ),
        (["officers", 0, "base"], _DELETE, r"officers\[0\] has no 'base'"),
        (["officers", 0, "skills"], "driver", r"officers\[0\]\.skills must be a list"),
        (["shift", "end"], "2026-12-07T06:00:00+00:00", r"shift\.end must be after shift\.start"),
        (["rules", "speed_kmh"], 0, r"rules\.speed_kmh must be a number above 0"),
        (["rules", "return_to_base"], "yes", r"rules\.return_to_base must be true or false"),
        (["rules", "repeat_value"], [], r"rules\.repeat_value must list at least one number"),
        (["rules", "visit_minutes"], 0, r"rules\.visit_minutes must be a whole number at least 1"),
        (["officers"], _DELETE, r"the instance has no 'officers'"),
    ],
)
def test_a_bad_field_gets_a_message_naming_it(path: list[Any], value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        instance_from_json(_set(example(), path, value))


def test_not_an_object_is_refused() -> None:
    with pytest.raises(ValueError, match="the instance must be a JSON object"):
        instance_from_json([1, 2])


def test_a_dataclass_instance_is_checked_too() -> None:
    problem = instance([officer("A")], [place("x", 0, 0, float("nan"))])

    with pytest.raises(ValueError, match=r"places\[0\]\.value must be a number at least 0"):
        patrol_plan(problem, time_limit=0.5)


def run_plan(
    tmp_path: Path, data: Any, *extra: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    source = tmp_path / "instance.json"
    source.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    output = tmp_path / "plan.json"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    environment["PYTHONPATH"] = str(SRC)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "beatbook.cli",
            "plan",
            "--input",
            str(source),
            "--output",
            str(output),
            "--time-limit",
            "0.5",
            *extra,
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    return done, output


def test_the_command_writes_a_plan_and_says_what_it_is_worth(tmp_path: Path) -> None:
    done, output = run_plan(tmp_path, example(), "--seed", "5")

    assert done.returncode == 0, done.stderr
    summary = done.stdout.strip()
    assert summary.count("\n") == 0
    assert re.fullmatch(
        r"Planned \d+ visits by \d of 2 officers: objective [\d.]+, bound [\d.]+, gap [\d.]+%; "
        r"written to .*plan\.json",
        summary,
    )
    problem = instance_from_json(example())
    plan = plan_from_json(json.loads(output.read_text(encoding="utf-8")), problem)
    assert plan.seed == 5
    assert plan_violations(problem, plan.routes) == []
    assert referee(problem, plan.routes) == []
    assert any(v.place == "Bus station" for r in plan.routes for v in r.visits)
    # The temporary file was renamed, not left behind.
    assert {p.name for p in tmp_path.iterdir()} == {"instance.json", "plan.json"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "is not valid JSON: Expecting property name"),
        (_set(example(), ["places", 1, "value"], -1), r"places\[1\]\.value must be a number"),
        (
            _set(example(), ["places", 2, "min_visits"], 1),
            "no plan can meet every rule: Car park needs 1 visit",
        ),
    ],
)
def test_the_command_fails_in_one_line_and_writes_nothing(
    tmp_path: Path, data: Any, message: str
) -> None:
    if isinstance(data, dict):
        data["officers"][0]["skills"] = []  # the car park then needs a driver no one is

    done, output = run_plan(tmp_path, data)

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("beatbook plan: ")
    assert re.search(message, done.stderr)
    assert not output.exists()
    assert {p.name for p in tmp_path.iterdir()} == {"instance.json"}


def test_the_command_fails_cleanly_on_a_missing_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "beatbook.cli",
            "plan",
            "--input",
            str(tmp_path / "none.json"),
            "--output",
            str(tmp_path / "plan.json"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    assert "cannot read" in done.stderr
    assert not (tmp_path / "plan.json").exists()


def test_the_same_seed_and_time_limit_give_the_same_file(tmp_path: Path) -> None:
    first, output = run_plan(tmp_path, example(), "--seed", "2")
    text = output.read_text(encoding="utf-8")
    second, output = run_plan(tmp_path, example(), "--seed", "2")

    assert first.returncode == second.returncode == 0
    assert output.read_text(encoding="utf-8") == text
