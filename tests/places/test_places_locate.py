from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from beatbook.opendata.models import Crime
from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.places.selectors import LocateError, locate_point, locate_postcode
from beatbook.places.services import (
    lsoa_boundaries_import,
    neighbourhoods_build,
    postcodes_import,
)
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(lsoas: None, codepoint_zip: Path) -> None:
    postcodes_import(path=codepoint_zip)
    neighbourhoods_build(force_id="staffordshire", by="ward")


def _locate(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("locate", *args, stdout=out)
    return out.getvalue()


def test_a_point_is_in_its_force_neighbourhood_and_lsoa(built: None) -> None:
    located = locate_point(latitude=52.99, longitude=-2.15, with_lsoa=True)

    assert located is not None
    assert located.force.id == "staffordshire"
    assert located.neighbourhood is not None
    assert located.neighbourhood.name == "Meir Test"
    assert located.lsoa is not None
    assert located.lsoa.code == "E01000003"


def test_the_lsoa_is_looked_up_only_when_the_answer_needs_it(built: None) -> None:
    located = locate_point(latitude=52.99, longitude=-2.15)

    assert located is not None
    assert located.neighbourhood is not None
    assert located.lsoa is None


# A boundary that cannot be read: any lookup that parsed it would fail.
_BROKEN = {"type": "Polygon", "coordinates": "not a ring"}
_LONDON_BOX = {"min_lat": 51.4, "max_lat": 51.6, "min_lng": -0.3, "max_lng": 0.1}


def test_a_point_reads_only_the_boundaries_whose_box_holds_it(
    built: None, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    # Thousands of rows elsewhere are never read: had a lookup built an index of every
    # boundary (as it once did, per process, on the request path), these would break it.
    force = Force.objects.get(pk="metropolitan")
    Lsoa.objects.bulk_create(
        Lsoa(code=f"E0199{i:04d}", census_year=2011, boundary=_BROKEN, **_LONDON_BOX)
        for i in range(2_000)
    )
    Neighbourhood.objects.create(
        force=force, code="broken", name="Broken", boundary=_BROKEN, **_LONDON_BOX
    )

    with django_assert_max_num_queries(2):
        in_a_neighbourhood = locate_point(latitude=52.99, longitude=-2.15)
    with django_assert_max_num_queries(2):
        by_its_lsoa = locate_point(latitude=52.99, longitude=-2.15, with_lsoa=True)

    assert in_a_neighbourhood is not None
    assert in_a_neighbourhood.neighbourhood is not None
    assert in_a_neighbourhood.neighbourhood.name == "Meir Test"
    assert by_its_lsoa is not None
    assert by_its_lsoa.lsoa is not None
    assert by_its_lsoa.lsoa.code == "E01000003"


def test_an_import_is_seen_by_the_next_lookup(
    lsoas: None, places_dir: Path, tmp_path: Path
) -> None:
    assert locate_point(latitude=52.99, longitude=-2.25) is None
    wider = tmp_path / "wider.geojson"
    wider.write_text((places_dir / "lsoas-2011.geojson").read_text().replace("-2.2,", "-2.3,"))

    lsoa_boundaries_import(path=wider)

    located = locate_point(latitude=52.99, longitude=-2.25)
    assert located is not None
    assert located.lsoa is not None
    assert located.lsoa.code == "E01000001"


def test_without_neighbourhoods_the_force_comes_from_the_lsoa(lsoas: None) -> None:
    located = locate_point(latitude=52.99, longitude=-2.19)

    assert located is not None
    assert located.force.id == "staffordshire"
    assert located.neighbourhood is None
    assert located.lsoa is not None
    assert located.lsoa.code == "E01000001"


def test_a_point_in_no_force_we_hold_is_none(built: None) -> None:
    assert locate_point(latitude=51.5, longitude=-0.12) is None


def test_a_point_outside_the_uk_is_refused(db: None) -> None:
    with pytest.raises(LocateError, match="outside the United Kingdom"):
        locate_point(latitude=-2.15, longitude=52.99)


def test_a_postcode_is_located_by_its_position(built: None) -> None:
    located = locate_postcode(postcode="st2 1ab")

    assert located is not None
    assert located.postcode == "ST2 1AB"
    assert located.neighbourhood is not None
    assert located.neighbourhood.name == "Northwood"
    assert located.latitude == pytest.approx(52.99, abs=1e-4)


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("ST3", "'ST3' is not a postcode"),
        ("ZZ9 9ZZ", "ZZ9 9ZZ is not a postcode we hold"),
        ("ST9 9ZZ", "ST9 9ZZ has no position in Code-Point Open"),
    ],
)
def test_bad_postcodes_are_refused(built: None, postcode: str, message: str) -> None:
    with pytest.raises(LocateError, match=message):
        locate_postcode(postcode=postcode)


def test_the_command_names_force_neighbourhood_and_lsoa(built: None) -> None:
    output = _locate("ST3", "2AB")

    assert "ST3 2AB" in output
    assert "Staffordshire Police (staffordshire)" in output
    assert "Meir Test (id meir-test" in output
    assert "Testtown 003A (E01000003)" in output


def test_the_command_takes_coordinates(built: None) -> None:
    output = _locate("52.99", "-2.19")

    assert "Northwood (id northwood" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("52.99", "abc"), "are not coordinates"),
        (("91", "-2.19"), "outside the United Kingdom"),
        (("ST3",), "is not a postcode"),
        (("ZZ9", "9ZZ"), "is not a postcode we hold"),
        (("51.5", "-0.12"), "is in no police force we hold"),
    ],
)
def test_the_command_fails_with_one_line_and_exit_code_1(
    built: None, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        _locate(*args)

    assert raised.value.returncode == 1
    assert "\n" not in str(raised.value)


def test_building_neighbourhoods_assigns_the_forces_crimes(
    lsoas: None, codepoint_zip: Path
) -> None:
    source = SourceFile.objects.create(
        kind=SourceKind.STREET,
        path="test.csv",
        sha256="0" * 64,
        status=SourceStatus.LOADED,
        started_at=timezone.now(),
    )
    crime = Crime.objects.create(
        force_id="staffordshire",
        month="2025-01",
        category="burglary",
        latitude=52.99,
        longitude=-2.15,
        source=source,
    )
    postcodes_import(path=codepoint_zip)

    result = neighbourhoods_build(force_id="staffordshire", by="ward")

    crime.refresh_from_db()
    assert crime.neighbourhood == Neighbourhood.objects.get(code="meir-test")
    assert result.extra["crimes"] == 1
