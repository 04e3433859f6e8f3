"""The one study-area rule: the cells that overlap the force's boundary polygons."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from beatbook.analysis.grid import Grid
from beatbook.analysis.policeuk_files import read_street_crimes
from beatbook.analysis.study_area import (
    FALLBACK_MARGIN_M,
    area_bounds,
    area_grid,
    area_mask,
    cells_in_area,
    crime_box,
    read_force_lsoa_boundaries,
)
from beatbook.demo.bundle import demo_bundle_files


def test_a_cell_sharing_area_is_in_even_with_its_centre_outside() -> None:
    # The square reaches 20 m into the cells east of x = 300 and north of y = 200.
    square = shapely.box(0.0, 0.0, 320.0, 220.0)
    grid = Grid(x0=0.0, y0=0.0, cell_size=100.0, columns=5, rows=4)
    cells = cells_in_area(grid, [square])
    cx, cy = grid.centres()
    centres_inside = np.flatnonzero(shapely.contains_xy(square, cx, cy))
    assert set(centres_inside) < set(cells.tolist())
    assert sorted(cells.tolist()) == [r * 5 + c for r in range(3) for c in range(4)]
    # A cell meeting a polygon only along an edge counts too (the rule back-tests were scored
    # on; with real boundaries a shared edge is all but impossible).
    touching = shapely.box(0.0, 0.0, 300.0, 200.0)
    assert cells_in_area(grid, [touching]).tolist() == [
        r * 5 + c for r in range(3) for c in range(4)
    ]


def test_every_point_inside_the_polygons_falls_in_a_study_cell() -> None:
    """Why overlap: no crime recorded inside the boundary is left off a map or a score."""
    polygons = [
        shapely.Polygon([(10, 10), (470, 60), (300, 390)]),
        shapely.box(480.0, 5.0, 730.0, 333.0),
    ]
    grid = area_grid(polygons, 100.0)
    inside = area_mask(grid, (grid, cells_in_area(grid, polygons)))
    rng = np.random.default_rng(3)
    xs, ys = rng.uniform(0, 800, 20_000), rng.uniform(0, 400, 20_000)
    within = shapely.contains_xy(shapely.union_all(polygons), xs, ys)
    cell = grid.cell_index(xs[within], ys[within])
    assert (cell >= 0).all()
    assert inside[cell].all()


@pytest.mark.parametrize("size", [150.0, 250.0, 500.0])
def test_the_study_areas_bounds_rebuild_its_own_grid(size: float) -> None:
    grid = area_grid([shapely.box(391_003.0, 341_990.5, 395_777.0, 346_001.0)], size)
    assert Grid.from_bounds(area_bounds(grid), size) == grid


def test_a_mask_is_only_read_on_the_study_areas_own_grid() -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_size=100.0, columns=3, rows=2)
    assert area_mask(grid, (grid, np.array([1, 4]))).tolist() == [0, 1, 0, 0, 1, 0]
    other = Grid(x0=100.0, y0=0.0, cell_size=100.0, columns=3, rows=2)
    with pytest.raises(ValueError, match="not the study area's grid"):
        area_mask(other, (grid, np.array([1])))


def test_without_boundaries_a_hotspot_map_covers_the_middle_crimes_and_a_margin() -> None:
    xs = np.concatenate([np.linspace(1_000.0, 2_000.0, 99), [900_000.0]])
    ys = np.concatenate([np.linspace(5_000.0, 6_000.0, 99), [900_000.0]])
    low_x, low_y, high_x, high_y = crime_box(xs, ys)
    assert low_x == pytest.approx(np.percentile(xs, 1) - FALLBACK_MARGIN_M)
    assert high_y == pytest.approx(np.percentile(ys, 99) + FALLBACK_MARGIN_M)
    assert high_x < 100_000  # the one crime far away stretches nothing
    with pytest.raises(ValueError, match="no crimes with a location"):
        crime_box(np.array([]), np.array([]))


@pytest.mark.slow
def test_on_the_demo_data_the_old_hotspot_cells_are_a_subset_of_the_study_area() -> None:
    """The demo's neighbourhoods are unions of its LSOAs by ward, so the hotspot rule before
    issue 13 (a cell's centre in a neighbourhood) is a cell's centre in their union: every such
    cell is in the study area, which adds the edge cells, and every located crime inside the
    LSOAs is now in a study cell (125 were in none of the old ones)."""
    files = demo_bundle_files()
    polygons = read_force_lsoa_boundaries(files.boundaries, files.forces, "Staffordshire")
    grid = area_grid(polygons, 250.0)
    area = area_mask(grid, (grid, cells_in_area(grid, polygons)))
    union = shapely.union_all(polygons)
    centred = shapely.contains_xy(union, *grid.centres())
    assert (centred <= area).all()
    assert (int(centred.sum()), int(area.sum())) == (43_498, 44_447)
    crimes = read_street_crimes([files.crime]).dropna(subset=["easting", "northing"])
    xs, ys = crimes["easting"].to_numpy(float), crimes["northing"].to_numpy(float)
    inside = shapely.contains_xy(union, xs, ys)
    cell = grid.cell_index(xs[inside], ys[inside])
    assert area[cell].all()
    assert int((~centred[cell]).sum()) == 125
