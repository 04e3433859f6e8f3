"""Crimes and stops get their neighbourhood on load, and again when boundaries change."""

from __future__ import annotations

from pathlib import Path

import pytest

from beatbook.opendata.models import Crime
from beatbook.opendata.services import crimes_assign_neighbourhoods, ingest_paths
from beatbook.places.models import Neighbourhood
from beatbook.places.spatial import forget_cached_indexes

pytestmark = pytest.mark.django_db


def _square(lat: float, lng: float, half: float = 0.01) -> dict[str, object]:
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _neighbourhood(code: str, lat: float, lng: float) -> Neighbourhood:
    forget_cached_indexes()
    return Neighbourhood.objects.create(
        force_id="merseyside",
        code=code,
        name=f"Around {code}",
        boundary=_square(lat, lng),
        min_lat=lat - 0.01,
        max_lat=lat + 0.01,
        min_lng=lng - 0.01,
        max_lng=lng + 0.01,
    )


def test_crimes_get_the_neighbourhood_their_point_is_in_when_loaded(policeuk: Path) -> None:
    kirkby = _neighbourhood("KIRKBY", 53.486621, -2.875002)
    ingest_paths(paths=[policeuk / "good" / "2019-09-merseyside-street.csv"])

    assert Crime.objects.filter(neighbourhood=kirkby).count() == 3
    assert Crime.objects.filter(neighbourhood=None).count() == 3


def test_crimes_assign_neighbourhoods_recomputes_after_boundaries_change(policeuk: Path) -> None:
    ingest_paths(paths=[policeuk / "good" / "2019-09-merseyside-street.csv"])
    assert not Crime.objects.exclude(neighbourhood=None).exists()
    widnes = _neighbourhood("WIDNES", 53.352456, -2.804451)

    changed = crimes_assign_neighbourhoods(force_id="merseyside")

    assert changed == 1
    assert list(
        Crime.objects.exclude(neighbourhood=None).values_list("neighbourhood_id", flat=True)
    ) == [widnes.pk]
    assert crimes_assign_neighbourhoods(force_id="merseyside") == 0
