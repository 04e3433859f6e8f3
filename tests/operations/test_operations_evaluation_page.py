"""The operation's evaluation page: too early to tell before the data, a clear answer with its
interval once the months are published, and the LSOAs it could not use named."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse

from .operations_world import PASSWORD, OperationsWorld


def _page(world: OperationsWorld, **query: str) -> tuple[int, str]:
    client = Client()
    assert client.login(username="sergeant", password=PASSWORD)
    answer = client.get(reverse("operations:evaluation", args=[world.week.pk]), query)
    return answer.status_code, re.sub(r"\s+", " ", answer.content.decode())


def test_without_street_data_it_says_it_cannot_be_evaluated(world: OperationsWorld) -> None:
    status, text = _page(world)
    assert status == 200
    assert "This cannot be evaluated" in text
    assert "No street-level crime is loaded for Staffordshire Police" in text


def test_a_bad_month_is_an_error_on_the_form(world: OperationsWorld) -> None:
    status, text = _page(world, start="March 2026", months_after="3")
    assert status == 400
    assert "Enter the start month as YYYY-MM" in text


def test_outsiders_cannot_open_it(world: OperationsWorld) -> None:
    client = Client()
    assert client.login(username="cheshire", password=PASSWORD)
    answer = client.get(reverse("operations:evaluation", args=[world.week.pk]))
    assert answer.status_code == 404


def test_with_the_force_loaded_it_gives_the_verdict_and_how_sure(
    world: OperationsWorld, tmp_path: Path
) -> None:
    """A made-up force's street files, with the operation moved to their LSOAs and months: the
    page gives a verdict, a change with its interval, and names the LSOA it could not use."""
    from beatbook.common.months import add_months
    from beatbook.opendata.services import ingest_paths
    from beatbook.operations.models import Operation
    from beatbook.places.models import Force, Lsoa
    from street_files import FORCE, lsoa_code, write_street_month

    months = [add_months("2024-01", n) for n in range(18)]
    ingest_paths(paths=[write_street_month(tmp_path, m, lsoas=300) for m in months])
    force = Force.objects.get(pk=FORCE)
    area = [Lsoa.objects.create(code=lsoa_code(i), census_year=2011) for i in range(6)]
    Operation.objects.filter(pk=world.week.pk).update(force=force)
    world.week.lsoas.set([*area, *world.week.lsoas.all()])
    status, text = _page(world, start="2025-03", months_after="3")
    assert status == 200, text
    assert "Change against comparable areas" in text, re.findall(r"role=\"status\">.{0,400}", text)
    assert "How sure (95% interval)" in text
    assert "E01014220" in text  # left out: no crime for it in this force's data
    status, text = _page(world, start="2025-09", months_after="3")
    assert "Too early to tell" in text
