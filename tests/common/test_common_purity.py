"""The pure packages never reach Django, directly or through another beatbook module (ADR 17):
ruff's ban sees only direct imports, so this imports every module in a fresh interpreter and
looks at what was loaded."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import beatbook.analysis
import beatbook.common

PURE = [beatbook.common, beatbook.analysis]


def _modules() -> list[str]:
    names = []
    for package in PURE:
        names.append(package.__name__)
        for found in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            names.append(found.name)
    return names


def test_the_pure_packages_load_no_django() -> None:
    names = _modules()
    assert "beatbook.common.months" in names
    assert "beatbook.analysis.policeuk_files" in names
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "ours = sorted(m for m in sys.modules if m.startswith('beatbook.')\n"
        "    and not m.startswith(('beatbook.common', 'beatbook.analysis')))\n"
        "print(loaded, ours)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[] []"
