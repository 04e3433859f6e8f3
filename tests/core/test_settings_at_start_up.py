from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_settings(env_overrides: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"BEATBOOK_DATA_DIR": str(tmp_path), **env_overrides})
    return subprocess.run(
        [sys.executable, "-m", "beatbook.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_with_a_malformed_setting(tmp_path: Path) -> None:
    result = run_settings({"DEBUG": "perhaps"}, tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'perhaps'" in result.stderr


def test_it_refuses_a_database_it_does_not_support(tmp_path: Path) -> None:
    result = run_settings({"DATABASE_URL": "mysql://root@localhost/x"}, tmp_path)
    assert result.returncode != 0
    assert "DATABASE_URL must name a SQLite or PostgreSQL database" in result.stderr


def test_it_starts_with_no_settings_at_all(tmp_path: Path) -> None:
    result = run_settings({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
