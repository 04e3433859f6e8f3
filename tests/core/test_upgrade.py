"""A database made by the code before the house plan (ADR 17) upgrades cleanly.

The old code is taken from git history and run from a folder of its own on the same database;
the current code then migrates it. The moved model (``SourceFile``, now in ``records``) keeps its
table and rows, its admin content type moves with it, a task queued by the old code names the
moved module, and the upgraded database takes new imports.
On PostgreSQL (``DATABASE_URL`` set) the check runs on a scratch database there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import psycopg
import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
# The last commit before the house plan moved any code.
BEFORE_THE_MOVE = "c68452a"

pytestmark = pytest.mark.slow

# A page's result queued for the worker, as the code before the move names its task.
QUEUE_A_TASK = """
import django
django.setup()
from beatbook.analytics.tasks import analysis_result_task
analysis_result_task.enqueue("trends", {"area": "staffordshire"})
"""

READ_BACK = """
import json
import django
django.setup()
from django.contrib.contenttypes.models import ContentType
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM opendata_sourcefile")
    records = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM opendata_crime")
    crimes = cursor.fetchone()[0]
from django_tasks_db.models import DBTaskResult
labels = sorted(
    ContentType.objects.filter(model="sourcefile").values_list("app_label", flat=True)
)
tasks = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
found = {"records": records, "crimes": crimes, "sourcefile_labels": labels, "tasks": tasks}
print(json.dumps(found))
"""


def _old_source(tmp_path: Path) -> Path:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("the upgrade test needs git and the repository's history")
        pytest.skip("not a git checkout: the code before the move is not to hand")
    archive = subprocess.run(
        ["git", "archive", "--format=tar", BEFORE_THE_MOVE, "src"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    folder = tmp_path / "before"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A scratch database of the kind the suite runs on."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'upgraded.sqlite3'}"
        return
    name = f"beatbook_upgrade_{uuid.uuid4().hex[:8]}"
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(src: Path, database_url: str, data_dir: Path, *args: str) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "DATABASE_URL": database_url,
        "BEATBOOK_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "beatbook.settings",
    }
    result = subprocess.run(
        [sys.executable, *args], cwd=data_dir, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _beatbook(src: Path, database_url: str, data_dir: Path, *args: str) -> str:
    call = f"from beatbook.cli import main; main(['beatbook', *{list(args)!r}])"
    return _run(src, database_url, data_dir, "-c", call)


def test_a_database_made_before_the_house_plan_upgrades(tmp_path: Path, database_url: str) -> None:
    old_src = _old_source(tmp_path)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    places = FIXTURES / "places"
    street = FIXTURES / "policeuk" / "good" / "2025-06-staffordshire-street.csv"
    for args in (
        ["import-lsoa-boundaries", str(places / "lsoas-2011.geojson")],
        [
            "import-neighbourhoods",
            *("--force", "staffordshire", "--id-property", "nbhd", "--name-property", "label"),
            str(places / "neighbourhoods.geojson"),
        ],
        ["ingest", str(street)],
    ):
        _beatbook(old_src, database_url, data_dir, *args)
    _run(old_src, database_url, data_dir, "-c", QUEUE_A_TASK)
    before = json.loads(_run(old_src, database_url, data_dir, "-c", READ_BACK))

    new_src = REPO / "src"
    _beatbook(new_src, database_url, data_dir, "migrate", "--no-input")
    _beatbook(new_src, database_url, data_dir, "migrate", "--check")
    _beatbook(new_src, database_url, data_dir, "makemigrations", "--check", "--dry-run")
    after = json.loads(_run(new_src, database_url, data_dir, "-c", READ_BACK))
    merseyside = FIXTURES / "policeuk" / "good" / "2019-09-merseyside-street.csv"
    _beatbook(new_src, database_url, data_dir, "ingest", str(merseyside))
    later = json.loads(_run(new_src, database_url, data_dir, "-c", READ_BACK))

    assert before["sourcefile_labels"] == ["opendata"]
    assert before["tasks"] == ["beatbook.analytics.tasks.analysis_result_task"]
    moved = ["beatbook.insights.tasks.analysis_result_task"]
    assert after == {**before, "sourcefile_labels": ["records"], "tasks": moved}
    assert later["records"] == before["records"] + 1
    assert later["crimes"] > before["crimes"]
