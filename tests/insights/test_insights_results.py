"""The analysis pages' results, made once and shared by every process through the database
(issue 12, finding 6): made again after an import, never shown to someone who may not see the
force, prepared by the worker with a page that says so, and made ahead by the worker's job."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from beatbook.accounts.models import OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.analysis.trends import repeat_locations
from beatbook.insights import area_trends as trend_service
from beatbook.insights import hotspot_maps as hotspot_service
from beatbook.insights.models import AnalysisResult
from beatbook.insights.results_refresh import analysis_results_refresh_due
from beatbook.insights.stored_results import (
    result_make,
    result_obtain,
    result_read,
    result_request,
    result_spec,
)
from beatbook.places.models import Force
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.site.worker import periodic_jobs

from .insights_world import MARKET, AnalyticsWorld, _crime, _location, _source

PASSWORD = "correct horse battery staple"
KDE = {
    "force": "staffordshire",
    "month_from": "2025-01",
    "month_to": "2025-02",
    "category": "",
    "cell_size": "250",
    "method": "kde",
    "harm": "",
}
PARAMS = {
    "force": "staffordshire",
    "month_from": "2025-01",
    "month_to": "2025-02",
    "categories": [],
    "harm": None,
    "method": "kde",
    "cell_size": 250.0,
}


@pytest.fixture(autouse=True)
def _no_result_kept_in_this_process() -> None:
    """Nothing left in this process's own cache by an earlier test: a result must come from
    the database or be made."""
    from django.core.cache import cache

    cache.clear()


def _member(username: str, force: Force) -> User:
    user = user_create(username=username, password=PASSWORD, is_staff=True)
    police = organisation_create(
        name=f"{force.name} {username}", kind=OrganisationKind.POLICE_FORCE, force=force
    )
    membership_grant(user=user, organisation=police, role=Role.ANALYST)
    return user


@pytest.fixture
def analyst(client: Client, world: AnalyticsWorld) -> Client:
    client.force_login(_member("ana", world.force))
    return client


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every hotspot map worked out (its number of crimes)."""
    made: list[int] = []
    real = hotspot_service.hotspot_map

    def counting(crimes: Any, **options: Any) -> Any:
        made.append(len(crimes))
        return real(crimes, **options)

    monkeypatch.setattr(hotspot_service, "hotspot_map", counting)
    return made


def _never_made(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("worked out again instead of read from the shared result")

    monkeypatch.setattr(hotspot_service, "hotspot_map", refuse)


def test_the_page_and_its_map_download_work_the_hotspots_out_once(
    analyst: Client, counted: list[int]
) -> None:
    page = analyst.get("/analysis/hotspots/", KDE)
    assert page.status_code == 200
    assert "On or near Market Street" in page.content.decode()
    geojson = analyst.get("/analysis/hotspots/download/", {**KDE, "format": "geojson"})
    csv = analyst.get("/analysis/hotspots/download/", {**KDE, "format": "csv"})
    assert geojson.status_code == csv.status_code == 200
    assert len(counted) == 1


def _mapped(page: str) -> int:
    found = re.search(r"(\d+) crimes? mapped", page)
    assert found is not None, "no count of crimes mapped"
    return int(found.group(1))


def test_an_import_makes_the_result_again(
    analyst: Client, world: AnalyticsWorld, counted: list[int]
) -> None:
    before = _mapped(analyst.get("/analysis/hotspots/", KDE).content.decode())
    # A reload of February brings three more burglaries on Market Street.
    reload = SourceFile.objects.create(
        kind=SourceKind.STREET,
        path="/data/2025-02-staffordshire-street-reloaded.csv",
        sha256="f" * 64,
        force=world.force,
        month="2025-02",
        status=SourceStatus.LOADED,
        started_at=timezone.now(),
    )
    SourceFile.objects.filter(force=world.force, month="2025-02").exclude(pk=reload.pk).update(
        status=SourceStatus.REPLACED
    )
    market = _location(MARKET, "On or near Market Street")
    for _ in range(3):
        _crime(reload, market, "burglary", None, world.longton)
    after = _mapped(analyst.get("/analysis/hotspots/", KDE).content.decode())
    assert after == before + 3
    assert len(counted) == 2


def test_a_result_is_never_shown_to_someone_who_may_not_see_its_force(
    client: Client, world: AnalyticsWorld
) -> None:
    client.force_login(_member("ana", world.force))
    assert client.get("/analysis/hotspots/", KDE).status_code == 200
    client.force_login(_member("chris", world.cheshire))
    page = client.get("/analysis/hotspots/", KDE)
    assert page.status_code == 400
    assert "On or near Market Street" not in page.content.decode()
    download = client.get("/analysis/hotspots/download/", {**KDE, "format": "csv"})
    assert download.status_code == 400
    spec = result_spec("hotspots", PARAMS)
    assert result_read(spec) is not None  # stored, and still refused:
    with pytest.raises(PermissionDenied):
        result_obtain(spec, allowed_force_ids=["cheshire"])
    assert result_obtain(spec, allowed_force_ids=None).payload is not None


def test_trends_of_an_area_are_kept_apart_for_people_who_see_different_forces(
    client: Client, world: AnalyticsWorld
) -> None:
    """The forces an area spans can depend on who asks (an LSOA with no force spans every force
    the person sees): they are part of the key."""
    both = _member("both", world.force)
    police = organisation_create(
        name="Cheshire both", kind=OrganisationKind.POLICE_FORCE, force=world.cheshire
    )
    membership_grant(user=both, organisation=police, role=Role.ANALYST)
    for user in (_member("one", world.force), both):
        client.force_login(user)
        assert client.get("/analysis/trends/", {"area": "staffordshire"}).status_code == 200
    keys = AnalysisResult.objects.filter(kind="trends").values_list("force_ids", flat=True)
    assert sorted(keys) == [["staffordshire"]]  # the force itself: one result for both


CHILD = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")
django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS = ["testserver"]
from django.test import Client
from django.utils import timezone
from beatbook.accounts.models import User
client = Client()
client.force_login(User.objects.get(username=sys.argv[1]))
response = client.get("/analysis/hotspots/", dict(arg.split("=", 1) for arg in sys.argv[2:]))
print(response.status_code, "On or near Market Street" in response.content.decode())
"""


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}{port}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_result_made_in_one_process_is_served_by_another(
    client: Client, world: AnalyticsWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two gunicorn workers are two processes: the second must not work the map out again."""
    user = _member("ana", world.force)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    env.pop("DATABASE_URL_FILE", None)
    child = subprocess.run(
        [sys.executable, "-c", CHILD, user.username, *(f"{k}={v}" for k, v in KDE.items())],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert child.stdout.split() == ["200", "True"], child.stderr[-3000:]
    _never_made(monkeypatch)
    client.force_login(user)
    page = client.get("/analysis/hotspots/", KDE)
    assert page.status_code == 200
    assert "On or near Market Street" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_connections_asking_at_once_make_the_result_once(
    world: AnalyticsWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    made: list[str] = []
    real = hotspot_service.force_hotspots

    def slow(*, request: Any) -> Any:
        made.append(request.force_id)
        started.set()
        assert release.wait(60)
        return real(request=request)

    monkeypatch.setattr(hotspot_service, "force_hotspots", slow)
    spec = result_spec("hotspots", PARAMS)
    outcomes: list[Any] = []

    def first() -> None:
        try:
            outcomes.append(result_make(spec))
        finally:
            connections.close_all()

    maker = threading.Thread(target=first)
    maker.start()
    assert started.wait(60)
    assert result_make(spec) is None  # claimed by the other connection: not made twice
    release.set()
    maker.join(60)
    assert outcomes[0] is not None
    assert outcomes[0].payload is not None
    assert made == ["staffordshire"]
    assert result_read(result_spec("hotspots", PARAMS)) is not None


@pytest.fixture
def queued(settings: Any) -> None:
    """Tasks go to the database, as with ``beatbook serve``, but no worker runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_queued_tasks() -> int:
    """What the worker would do: run every task waiting in the queue."""
    from django_tasks_db.models import DBTaskResult

    from beatbook.insights.tasks import analysis_result_task

    ran = 0
    for row in DBTaskResult.objects.filter(status="READY"):
        analysis_result_task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        row.delete()
        ran += 1
    return ran


def test_a_slow_result_is_prepared_by_the_worker_while_the_page_says_so(
    analyst: Client, queued: None, counted: list[int]
) -> None:
    page = analyst.get("/analysis/hotspots/", KDE)
    assert page.status_code == 200
    html = " ".join(page.content.decode().split())
    assert "Being prepared" in html
    assert '<meta http-equiv="refresh" content="10">' in html
    assert "checks again by itself every 10 seconds" in html
    assert "refresh=off" in html  # the way to stop it
    assert counted == []  # not worked out on the request
    # Asking again (the page refreshing) queues nothing more; the download is not ready yet.
    analyst.get("/analysis/hotspots/", KDE)
    download = analyst.get("/analysis/hotspots/download/", {**KDE, "format": "csv"})
    assert download.status_code == 503
    assert download["Retry-After"] == "10"
    assert _run_queued_tasks() == 1
    ready = analyst.get("/analysis/hotspots/", KDE).content.decode()
    assert "On or near Market Street" in ready
    assert "Being prepared" not in ready
    assert len(counted) == 1


def test_the_page_stops_checking_by_itself_when_asked(analyst: Client, queued: None) -> None:
    page = analyst.get("/analysis/hotspots/", {**KDE, "refresh": "off"}).content.decode()
    assert "Being prepared" in page
    assert 'http-equiv="refresh"' not in page
    assert "no longer checks again by itself" in page


def test_the_worker_makes_the_usual_results_after_each_import(
    analyst: Client, world: AnalyticsWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "beatbook.insights.results_refresh.analysis_results_refresh_due" in {
        job.path for job in periodic_jobs()
    }
    first = analysis_results_refresh_due()
    kinds = AnalysisResult.objects.filter(made_at__isnull=False).values_list("kind", flat=True)
    assert {"hotspots", "trends", "forecast"} <= set(kinds)
    assert first.failed == []
    # The harm-weighted forecast patrol plans are made from is among them.
    forecasts = AnalysisResult.objects.filter(kind="forecast", made_at__isnull=False)
    assert "cchi" in {params.get("harm") for params in forecasts.values_list("params", flat=True)}
    # Both of the world's neighbourhoods, and the force, have their trends ready.
    trends = AnalysisResult.objects.filter(kind="trends").values_list("params", flat=True)
    assert {p["area"]["kind"] for p in trends} == {"force", "neighbourhood"}
    assert len(trends) == 4  # Staffordshire, Cheshire, Longton and Hanley
    assert str(analysis_results_refresh_due()) == "Every usual analysis result is current."
    # The pages open on them without working anything out.
    _never_made(monkeypatch)
    monkeypatch.setattr(trend_service, "area_trends", lambda **_: pytest.fail("made again"))
    defaults = {**KDE, "month_from": "2024-09", "month_to": "2025-02"}
    page = analyst.get("/analysis/hotspots/", defaults).content.decode()
    assert "On or near Market Street" in page
    assert analyst.get("/analysis/trends/", {"area": "Longton"}).status_code == 200
    monkeypatch.undo()
    # An import: everything of that force is made again, and nothing of another's.
    _source(world.force, "2025-03")
    again = analysis_results_refresh_due()
    staffordshire = [label for label in first.made if "staffordshire" in label]
    assert len(again.made) == len(staffordshire)
    assert all("staffordshire" in label for label in again.made)


def _places(rng_seed: int) -> Iterator[dict[str, Any]]:
    import numpy as np

    rng = np.random.default_rng(rng_seed)
    categories = ["burglary", "robbery", "shoplifting", "drugs"]
    for _ in range(600):
        place = int(rng.integers(0, 60))
        yield {
            "month": f"2025-0{int(rng.integers(1, 4))}",
            "category": categories[int(rng.integers(0, 4))],
            "easting": 390_000.0 + place,
            "northing": 340_000.0,
            "location_id": place,
            "street_name": f"On or near Street {place:02d}",
            "lsoa_code": "E01000001",
        }


def test_repeat_locations_name_each_places_most_common_category_as_before() -> None:
    crimes = pd.DataFrame(list(_places(5)))
    crimes["location_id"] = crimes["location_id"].astype("Int64")
    table = repeat_locations(crimes, top=15)
    assert len(table) == 15
    for _, row in table.iterrows():
        at_place = crimes[crimes["street_name"] == row["street_name"]]
        assert row["top_category"] == at_place["category"].value_counts().index[0]
        assert row["crimes"] == len(at_place)


def test_a_result_being_made_is_not_asked_for_again_until_its_maker_has_gone(
    world: AnalyticsWorld, queued: None
) -> None:
    from django_tasks_db.models import DBTaskResult

    spec = result_spec("hotspots", PARAMS)
    now = timezone.now()
    result_request(spec, now=now)
    assert list(DBTaskResult.objects.values_list("priority", flat=True)) == [10]  # before forecasts
    AnalysisResult.objects.filter(key=spec.key).update(
        claimed_until=now + timedelta(minutes=10), claim_token="another worker"
    )
    result_request(spec, now=now + timedelta(minutes=5))
    assert DBTaskResult.objects.count() == 1
    result_request(spec, now=now + timedelta(minutes=11))  # the maker's lease ran out
    assert DBTaskResult.objects.count() == 2


def test_a_result_made_by_other_analysis_code_is_made_again(
    world: AnalyticsWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from beatbook.insights import stored_results as results

    made = result_make(result_spec("hotspots", PARAMS))
    assert made is not None
    assert result_read(result_spec("hotspots", PARAMS)) is not None
    monkeypatch.setattr(results, "code_version", lambda: "a-new-release")
    assert result_read(result_spec("hotspots", PARAMS)) is None
