"""beatbook.common.projection: the WGS84 and British National Grid transformers, built once
and shared, also between threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from beatbook.common.projection import bng_to_wgs84, to_british_grid, to_wgs84

# Longton, Stoke-on-Trent, near Times Square: longitude, latitude.
LONGTON = (-2.1300, 52.9880)
# Where PROJ puts it on the British National Grid (Helmert OSGB36 to WGS 84, as today).
LONGTON_BNG = (391_370.2, 343_415.1)


def test_longton_lands_on_the_grid_in_stoke_on_trent() -> None:
    easting, northing = to_british_grid().transform(*LONGTON)
    assert easting == pytest.approx(LONGTON_BNG[0], abs=2.0)
    assert northing == pytest.approx(LONGTON_BNG[1], abs=2.0)
    # Grid square SJ (300 000 to 400 000 east, 300 000 to 400 000 north) holds the Potteries.
    assert 380_000 < easting < 400_000
    assert 335_000 < northing < 355_000


def test_longton_goes_to_the_grid_and_back() -> None:
    easting, northing = to_british_grid().transform(*LONGTON)
    lng, lat = to_wgs84().transform(easting, northing)
    assert (lng, lat) == pytest.approx(LONGTON, abs=1e-7)  # about a centimetre


def test_many_points_round_trip_as_arrays() -> None:
    rng = np.random.default_rng(0)
    lng = rng.uniform(-2.3, -2.0, 1_000)
    lat = rng.uniform(52.9, 53.1, 1_000)
    easting, northing = to_british_grid().transform(lng, lat)
    back_lng, back_lat = to_wgs84().transform(easting, northing)
    np.testing.assert_allclose(back_lng, lng, atol=1e-7)
    np.testing.assert_allclose(back_lat, lat, atol=1e-7)


def test_bng_to_wgs84_gives_latitude_first_rounded_to_six_places() -> None:
    lat, lng = bng_to_wgs84(easting=np.array([LONGTON_BNG[0]]), northing=[LONGTON_BNG[1]])
    assert lat[0] == pytest.approx(LONGTON[1], abs=2e-6)
    assert lng[0] == pytest.approx(LONGTON[0], abs=2e-6)
    assert lat[0] == round(float(lat[0]), 6)
    assert lng[0] == round(float(lng[0]), 6)


def test_each_transformer_is_built_once() -> None:
    assert to_british_grid() is to_british_grid()
    assert to_wgs84() is to_wgs84()
    assert to_british_grid() is not to_wgs84()


def test_threads_share_a_transformer_and_get_the_same_answers() -> None:
    rng = np.random.default_rng(1)
    batches = [(rng.uniform(-2.3, -2.0, 20_000), rng.uniform(52.9, 53.1, 20_000)) for _ in range(8)]
    expected = [to_british_grid().transform(lng, lat) for lng, lat in batches]
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda batch: to_british_grid().transform(*batch), batches))
    for (want_e, want_n), (got_e, got_n) in zip(expected, found, strict=True):
        np.testing.assert_array_equal(got_e, want_e)
        np.testing.assert_array_equal(got_n, want_n)
