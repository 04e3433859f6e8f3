"""Gates that keep the tree healthy: lint, migrations in step with the models."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_models_and_migrations_agree() -> None:
    # Raises SystemExit(1) if a model change has no migration.
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_ruff_finds_nothing() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (it comes with the test extra)")
    result = subprocess.run(
        [ruff, "check", "src", "tests", "benchmarks", "scripts"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Django's role names: each app may have one, and the same name means the same role everywhere.
ROLE_MODULES = {
    "__init__",
    "admin",
    "apps",
    "checks",
    "forms",
    "middleware",
    "models",
    "selectors",
    "services",
    "signals",
    "tasks",
    "urls",
    "views",
}


def test_no_module_name_means_two_things() -> None:
    """Outside Django's role names (and commands, named for what you type), a module name is
    used once in the tree, so ``hotspots`` or ``charts`` always means the same module."""
    seen: dict[str, list[str]] = {}
    for path in sorted((REPO / "src" / "beatbook").rglob("*.py")):
        parts = path.relative_to(REPO / "src").parts
        if "migrations" in parts or "commands" in parts or path.stem in ROLE_MODULES:
            continue
        seen.setdefault(path.stem, []).append("/".join(parts))
    repeated = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not repeated, repeated
