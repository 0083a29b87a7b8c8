"""Tests of the metric grid: CRS choice, distances, cells and binning (geo.concentrations.grid)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyproj
import pytest

from geo.concentrations.clusters import ClusterParams
from geo.concentrations.density import KDEParams
from geo.concentrations.grid import (
    Grid,
    bin_tonnes,
    check_distance_m,
    grid_for_points,
    linear_bin_tonnes,
    metric_crs_for,
)
from geo.concentrations.within_radius import RadiusParams
from geo.errors import SymbiosisError
from geo.i18n import use_locale

UTM35 = pyproj.CRS.from_epsg(32635)


def test_largest_allowed_distance_is_accepted() -> None:
    """500 km exactly is inside the allowed range."""
    assert check_distance_m(500_000, "bandwidth_m") == 500_000.0


@pytest.mark.parametrize(("make", "english", "chinese"), [
    (lambda: KDEParams(bandwidth_m=0), "The heat bandwidth (bandwidth_m)", "热力图带宽"),
    (lambda: RadiusParams(radius_m=-5), "The catchment radius (radius_m)", "汇集半径"),
    (lambda: ClusterParams(eps_m=float("nan")), "The cluster neighbourhood (eps_m)", "聚类邻域"),
    (lambda: KDEParams(cell_m=1e9), "The grid cell size (cell_m)", "网格单元大小"),
])
def test_a_bad_distance_is_named_in_the_users_language(make: Callable[[], object], english: str,
                                                       chinese: str) -> None:
    """A distance out of range names the setting (and its parameter) in the user's language."""
    with pytest.raises(SymbiosisError, match=r"must be more than 0 m") as caught:
        make()
    assert str(caught.value).startswith(english)
    with use_locale("zh_CN"), pytest.raises(SymbiosisError) as caught:
        make()
    assert str(caught.value).startswith(chinese)
    assert "必须大于 0 m" in str(caught.value)


def test_grid_is_coarsened_to_stay_under_max_cells() -> None:
    """A continental extent with a small cell is coarsened to at most max_cells cells."""
    g = grid_for_points(np.array([0.0, 2_000_000.0]), np.array([0.0, 1_000_000.0]),
                        cell_m=10, pad_m=0, crs=UTM35, max_cells=10_000)
    assert g.nx * g.ny <= 10_000
    assert g.cell_m > 10


def test_metric_crs_is_utm_for_a_region_and_equal_area_for_a_continent() -> None:
    """Karhula gets UTM 35N; points spanning Europe get a Lambert equal-area projection."""
    assert metric_crs_for(np.array([26.9]), np.array([60.5])).to_epsg() == 32635
    wide = metric_crs_for(np.array([-9.0, 30.0]), np.array([38.0, 60.0]))
    assert "Lambert Azimuthal" in wide.coordinate_operation.method_name


def test_linear_binning_keeps_mass_and_centre_of_gravity() -> None:
    """Linear binning keeps each record's tonnes and its exact centre of gravity."""
    grid = grid_for_points(np.array([0.0, 1000.0]), np.array([0.0, 1000.0]), cell_m=100,
                           pad_m=500, crs=UTM35)
    bins = linear_bin_tonnes(grid, np.array([123.0]), np.array([456.0]), np.array([10.0]))
    cx, cy = grid.cell_centres()
    assert bins.sum() == pytest.approx(10.0)
    assert (bins * cx).sum() / 10 == pytest.approx(123.0)
    assert (bins * cy).sum() / 10 == pytest.approx(456.0)


def test_linear_binning_at_the_grid_edge_keeps_what_falls_inside() -> None:
    """A record in the outermost half cell keeps the shares that fall on the grid, no more."""
    grid = Grid(x0=0.0, y1=1000.0, cell_m=100.0, nx=10, ny=10, crs=UTM35)
    inside = linear_bin_tonnes(grid, np.array([520.0]), np.array([480.0]), np.array([8.0]))
    corner = linear_bin_tonnes(grid, np.array([20.0]), np.array([980.0]), np.array([8.0]))
    assert inside.sum() == pytest.approx(8.0)
    assert corner.sum() == pytest.approx(8.0 * 0.7 * 0.7)  # 30 m beyond the first centre: 0.3 out


def test_bin_tonnes_sums_per_cell_and_group() -> None:
    """Tonnes are summed per containing cell (and per group); points off the grid are left out."""
    grid = Grid(x0=0.0, y1=300.0, cell_m=100.0, nx=3, ny=3, crs=UTM35)
    x, y = np.array([50.0, 60.0, 250.0, 900.0]), np.array([250.0, 260.0, 50.0, 50.0])
    w = np.array([1.0, 2.0, 4.0, 8.0])
    np.testing.assert_array_equal(bin_tonnes(grid, x, y, w),
                                  [[3.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 4.0]])
    stack = bin_tonnes(grid, x, y, w, groups=np.array([0, 1, 1, 0]), n_groups=2)
    assert stack.shape == (2, 3, 3)
    assert (stack[0, 0, 0], stack[1, 0, 0], stack[1, 2, 2]) == (1.0, 2.0, 4.0)


def test_a_bad_distance_is_quoted_as_a_number_people_read() -> None:
    """The refused value is formatted like the range beside it, not as a raw float."""
    with pytest.raises(SymbiosisError, match=r"got 100,000,000;"):
        KDEParams(bandwidth_m=1e8)
    with use_locale("pt_BR"), pytest.raises(SymbiosisError, match=r"100\.000\.000"):
        KDEParams(bandwidth_m=1e8)
