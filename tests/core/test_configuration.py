from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from beatbook.core import env

REPO = Path(__file__).resolve().parents[2]
ENV_READ = re.compile(
    r"""(?:env_\w+|os\.environ\.get|os\.environ\.setdefault|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def variables_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (REPO / "src").rglob("*.py"):
        names.update(ENV_READ.findall(path.read_text(encoding="utf-8")))
    names.update(re.findall(r"\$\{?([A-Z][A-Z0-9_]+)", (REPO / "scripts" / "test").read_text()))
    return names - {"DJANGO_SETTINGS_MODULE"}


def test_every_environment_variable_is_documented() -> None:
    documented = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = sorted(name for name in variables_read_by_the_code() if f"`{name}`" not in documented)
    assert missing == [], f"add these to docs/configuration.md: {missing}"


def test_it_reads_booleans_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEATBOOK_FLAG", "yes")
    assert env.env_bool("BEATBOOK_FLAG") is True
    monkeypatch.setenv("BEATBOOK_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="BEATBOOK_FLAG must be true or false"):
        env.env_bool("BEATBOOK_FLAG")


def test_it_rejects_a_number_below_its_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEATBOOK_N", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env.env_int("BEATBOOK_N", 5, minimum=1)
    monkeypatch.setenv("BEATBOOK_N", "five")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env.env_int("BEATBOOK_N", 5)


def test_it_reads_a_secret_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.delenv("BEATBOOK_KEY", raising=False)
    monkeypatch.setenv("BEATBOOK_KEY_FILE", str(secret))
    assert env.env_secret("BEATBOOK_KEY") == "s3cret"
    monkeypatch.setenv("BEATBOOK_KEY", "other")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env.env_secret("BEATBOOK_KEY")


def test_it_names_an_unreadable_secret_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BEATBOOK_KEY", raising=False)
    monkeypatch.setenv("BEATBOOK_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="BEATBOOK_KEY_FILE: cannot read"):
        env.env_secret("BEATBOOK_KEY")


def test_readme_and_ci_run_the_same_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"^python3 -m venv .*$", readme, flags=re.MULTILINE)
    assert len(commands) >= 2, "the README must start with the two set-up commands"
    assert commands[1] in ci.splitlines()
    assert "beatbook demo" in commands[0]
