"""Tests of tonnes-within-a-radius surfaces (geo.concentrations.within_radius)."""

from __future__ import annotations

import math

import numpy as np
import pyproj
import pytest

from geo.concentrations.density import Surface
from geo.concentrations.grid import grid_for_points
from geo.concentrations.within_radius import (
    RadiusParams,
    disc_kernel,
    sample_surface,
    within_radius_by_group,
    within_radius_surface,
)
from geo.errors import SymbiosisError

UTM35 = pyproj.CRS.from_epsg(32635)
X0, Y0 = 500_000.0, 6_700_000.0


def _at(surface: Surface, x: float, y: float) -> float:
    flat = surface.grid.cell_index(np.array([x]), np.array([y]))[0]
    return float(surface.values.reshape(-1)[flat])


def test_counts_the_tonnes_within_the_radius() -> None:
    """Two producers 12 km apart: each sees only itself within 5 km, the midpoint sees neither."""
    s = within_radius_surface([X0, X0 + 12_000], [Y0, Y0], [100.0, 50.0], crs=UTM35,
                              params=RadiusParams(radius_m=5000, cell_m=250))
    assert _at(s, X0, Y0) == pytest.approx(100.0)
    assert _at(s, X0 + 12_000, Y0) == pytest.approx(50.0)
    assert _at(s, X0 + 6000, Y0) == pytest.approx(0.0, abs=1e-9)
    assert s.units == "t/yr"


def test_midpoint_sees_both_when_the_radius_reaches() -> None:
    """With a 7 km radius the midpoint (6 km from each) sees 150 t/yr."""
    s = within_radius_surface([X0, X0 + 12_000], [Y0, Y0], [100.0, 50.0], crs=UTM35,
                              params=RadiusParams(radius_m=7000, cell_m=250))
    assert _at(s, X0 + 6000, Y0) == pytest.approx(150.0)


def test_twenty_chapters_at_once_equal_one_at_a_time() -> None:
    """The stacked per-chapter surfaces equal each chapter computed alone on the same grid."""
    rng = np.random.default_rng(5)
    n = 400
    x, y = rng.normal(X0, 10_000, n), rng.normal(Y0, 10_000, n)
    w, g = rng.lognormal(2, 1, n), rng.integers(0, 20, n)
    labels = [f"{i + 1:02d}" for i in range(20)]
    params = RadiusParams(radius_m=4000)
    grid = grid_for_points(x, y, cell_m=400, pad_m=4400, crs=UTM35)
    stack = within_radius_by_group(x, y, w, g, labels, crs=UTM35, params=params, grid=grid)
    assert stack.values.shape == (20, grid.ny, grid.nx)
    for i in (0, 7, 19):
        one = within_radius_surface(x[g == i], y[g == i], w[g == i], crs=UTM35, params=params,
                                    grid=grid)
        np.testing.assert_allclose(stack.values[i], one.values, atol=1e-6)
        assert stack.surface(labels[i]).total_tonnes == pytest.approx(w[g == i].sum())


@pytest.mark.parametrize("bad", [0.0, -1.0, 500_000.5, math.nan])
def test_bad_radius_is_refused_with_the_allowed_range(bad: float) -> None:
    """A radius of zero, negative or beyond 500 km is refused, naming the allowed range."""
    with pytest.raises(SymbiosisError, match="500 km"):
        RadiusParams(radius_m=bad)


def test_a_single_producer_within_the_radius_is_shown_and_counted() -> None:
    """A disc holding one producer shows its 70 t (practitioners' surface), one producer."""
    s = within_radius_surface([X0], [Y0], [70.0], crs=UTM35,
                              params=RadiusParams(radius_m=3000), producers=np.array([0]))
    assert s.value_range() == (0.0, pytest.approx(70.0))
    assert s.producers == 1 and s.hidden_cells == 0


def test_disc_kernel_area_approaches_pi_r_squared() -> None:
    """The disc has about π r² cells and is symmetric."""
    k = disc_kernel(2000, 100)
    assert k.sum() == pytest.approx(math.pi * 20**2, rel=0.02)
    np.testing.assert_array_equal(k, k.T)
    np.testing.assert_array_equal(k, k[::-1])


def test_sample_surface_reads_values_at_wgs84_points() -> None:
    """Sampling at a producer's own lon/lat returns the tonnes within the radius there."""
    to_wgs = pyproj.Transformer.from_crs(UTM35, 4326, always_xy=True)
    lon, lat = to_wgs.transform(X0, Y0)
    s = within_radius_surface([X0], [Y0], [42.0], crs=UTM35, params=RadiusParams(radius_m=2000))
    assert sample_surface(s, [lon], [lat])[0] == pytest.approx(42.0)
    assert np.isnan(sample_surface(s, [0.0], [0.0])[0])
