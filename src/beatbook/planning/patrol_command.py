"""``beatbook plan``: a patrol plan from an instance file, with no database (issue 15).

    beatbook plan --input instance.json --output plan.json [--time-limit SECONDS] [--seed N]

It reads the instance (``docs/planning.md``), plans, and writes the plan. On success it prints
one line (objective, bound, gap, visits, officers); on any failure (a file it cannot read, JSON
that is not well formed, a bad field, an instance no plan can meet) it prints one line to
stderr, exits 1, and writes nothing: the plan is written to a temporary file beside the output
and renamed over it only once complete.

``beatbook.cli`` sends ``plan`` here before Django is set up, so it needs no settings.
A pure module: no Django.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from beatbook.planning.patrol import (
    PlanInfeasible,
    instance_from_json,
    patrol_plan,
    plan_to_json,
)


def main(argv: list[str] | None = None) -> int:
    """Run the command on ``argv`` (the arguments after ``plan``); the exit status."""
    options = _parser().parse_args(argv)
    try:
        instance = instance_from_json(_read(Path(options.input)))
        plan = patrol_plan(instance, time_limit=options.time_limit, seed=options.seed)
        _write(Path(options.output), plan_to_json(plan))
    except PlanInfeasible as exc:
        _fail(f"no plan can meet every rule: {'; '.join(exc.reasons)}")
        return 1
    except ValueError as exc:
        _fail(str(exc))
        return 1
    print(
        f"Planned {plan.visits} visits by {sum(bool(r.visits) for r in plan.routes)} of "
        f"{len(instance.officers)} officers: objective {plan.objective:.2f}, bound "
        f"{plan.bound:.2f}, gap {plan.gap:.1%}"
        + (" (the clock stopped the search: rerunning may differ)" if plan.stopped_by_clock else "")
        + f"; written to {options.output}"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="beatbook plan",
        description="Plan one shift's patrols from an instance file (docs/planning.md).",
    )
    parser.add_argument("--input", required=True, help="the instance, JSON")
    parser.add_argument("--output", required=True, help="where to write the plan, JSON")
    parser.add_argument(
        "--time-limit",
        type=_positive,
        default=10.0,
        help="seconds of search (default 10); the same limit and seed give the same plan",
    )
    parser.add_argument("--seed", type=int, default=0, help="varies the plan (default 0)")
    return parser


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError("the time limit must be a positive number of seconds")
    return value


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file, then a rename."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise ValueError(f"cannot write {path}: {exc.strerror}") from None
    try:
        os.fchmod(handle, 0o644)  # mkstemp's 0600 would make the plan private to its writer
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ValueError(f"cannot write {path}: {exc.strerror}") from None


def _fail(message: str) -> None:
    print(f"beatbook plan: {' '.join(message.split())}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
