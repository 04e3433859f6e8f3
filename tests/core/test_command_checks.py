"""Commands that serve no pages run Beatbook's own checks and the model checks, not the URL
checks that import every page (ADR 14); `beatbook check` still runs them all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Runs a command as the shell would, then says which page modules the process imported.
PROBE = """
import sys
from beatbook.cli import main
try:
    main(["beatbook", *sys.argv[1:]])
except SystemExit:
    pass
views = sorted(m for m in sys.modules if m.startswith("beatbook.") and m.endswith(".views"))
print("imported views:", ",".join(views) or "none")
print("scipy.stats imported:", "scipy.stats" in sys.modules)
"""


def run_command(
    args: list[str], tmp_path: Path, **env_overrides: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"BEATBOOK_DATA_DIR": str(tmp_path), **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_locate_imports_no_page(tmp_path: Path) -> None:
    result = run_command(["locate", "52.99", "-2.13"], tmp_path)
    assert "is in no police force we hold" in result.stderr
    assert "imported views: none" in result.stdout
    assert "scipy.stats imported: False" in result.stdout


def test_a_command_still_stops_on_a_broken_harm_weights_file(tmp_path: Path) -> None:
    result = run_command(
        ["locate", "52.99", "-2.13"], tmp_path, HARM_WEIGHTS_FILE=str(tmp_path / "missing.csv")
    )
    assert "beatbook.E101" in result.stderr
    assert "Cannot read the harm weights file" in result.stderr


def test_check_still_loads_every_page(tmp_path: Path) -> None:
    result = run_command(["check"], tmp_path)
    assert "System check identified no issues" in result.stdout
    assert "beatbook.workspace.views" in result.stdout
    # Loading every page still leaves scipy.stats to the first statistic that needs it.
    assert "scipy.stats imported: False" in result.stdout
