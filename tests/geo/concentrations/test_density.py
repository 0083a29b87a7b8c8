"""Tests of the binned kernel density (geo.concentrations.density)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pyproj
import pytest
from shapely.geometry import Point

from geo.concentrations.density import (
    KDEParams,
    Surface,
    default_bandwidth_m,
    kde_from_gdf,
    kde_surface,
)
from geo.concentrations.grid import grid_for_points
from geo.errors import CRSError, SymbiosisError

UTM35 = pyproj.CRS.from_epsg(32635)


def _integral(s: Surface) -> float:
    return float(np.nansum(s.values) * s.grid.cell_km2)


def test_single_point_kernel_integrates_to_its_tonnage() -> None:
    """One record of 250 t/yr gives a surface whose cells sum (× cell area) to 250 t/yr."""
    s = kde_surface(np.array([500_000.0]), np.array([6_700_000.0]), np.array([250.0]),
                    crs=UTM35, params=KDEParams(bandwidth_m=800))
    assert _integral(s) == pytest.approx(250.0, rel=1e-9)
    assert s.units == "t/yr per km²"
    assert s.total_tonnes == pytest.approx(250.0)


def test_peak_matches_the_gaussian_formula() -> None:
    """The peak density is t / (2π h²) per km² (h in km), so the bandwidth is in metres."""
    s = kde_surface(np.array([0.0]), np.array([0.0]), np.array([100.0]), crs=UTM35,
                    params=KDEParams(bandwidth_m=1000, cell_m=100))
    expected = 100.0 / (2 * math.pi * 1.0**2)
    assert float(np.nanmax(s.values)) == pytest.approx(expected, rel=0.02)


def test_surface_is_linear_in_the_records() -> None:
    """On one grid, the surface of A∪B equals the surface of A plus the surface of B."""
    rng = np.random.default_rng(3)
    x, y = rng.normal(0, 2000, 40), rng.normal(0, 2000, 40)
    w = rng.lognormal(2, 1, 40)
    grid = grid_for_points(x, y, cell_m=200, pad_m=3000, crs=UTM35)
    p = KDEParams(bandwidth_m=500)
    both = kde_surface(x, y, w, crs=UTM35, params=p, grid=grid).values
    a = kde_surface(x[:20], y[:20], w[:20], crs=UTM35, params=p, grid=grid).values
    b = kde_surface(x[20:], y[20:], w[20:], crs=UTM35, params=p, grid=grid).values
    np.testing.assert_allclose(both, a + b, atol=1e-9)


def test_all_records_at_one_point_still_give_a_valid_surface() -> None:
    """Fifty records at one place give a finite surface peaking there, integrating to their sum."""
    x = np.full(50, 400_000.0)
    y = np.full(50, 6_600_000.0)
    w = np.arange(1.0, 51.0)
    s = kde_surface(x, y, w, crs=UTM35, params=KDEParams(bandwidth_m=300))
    assert np.isfinite(s.values).all()
    assert _integral(s) == pytest.approx(w.sum())
    row, col = np.unravel_index(np.argmax(s.values), s.values.shape)
    cx, cy = s.grid.cell_centres()
    assert math.hypot(cx[row, col] - 400_000, cy[row, col] - 6_600_000) < s.grid.cell_m


@pytest.mark.parametrize("bad", [0, -50, 500_001, math.nan, math.inf, "wide"])
def test_bad_bandwidth_is_refused_with_the_allowed_range(bad: object) -> None:
    """Zero, negative, absurd (> 500 km) or non-numeric bandwidths are refused, naming the range."""
    with pytest.raises(SymbiosisError, match="500 km"):
        KDEParams(bandwidth_m=bad)


def test_producers_are_counted_and_no_cell_is_hidden() -> None:
    """The surface counts distinct producers (4 of 5 records) and shows every cell, a lone
    producer's bump included: these surfaces are for practitioners (viewers read the release)."""
    x = np.array([0.0, 0.0, 20_000.0, 20_100.0, 20_200.0])
    y = np.array([0.0, 0.0, 0.0, 50.0, 0.0])
    w = np.array([500.0, 500.0, 10.0, 20.0, 30.0])
    s = kde_surface(x, y, w, crs=UTM35, params=KDEParams(bandwidth_m=500),
                    producers=np.array([0, 0, 1, 2, 3]))
    assert s.producers == 4 and s.records == 5 and s.hidden_cells == 0
    assert np.isfinite(s.values).all()
    lone = s.grid.cell_index(np.array([0.0]), np.array([0.0]))[0]
    assert s.values.reshape(-1)[lone] == pytest.approx(s.value_range()[1])


def test_default_bandwidth_grows_with_spread() -> None:
    """Silverman's rule widens with the spread of the points and falls back for one point."""
    rng = np.random.default_rng(1)
    tight = default_bandwidth_m(rng.normal(0, 500, 200), rng.normal(0, 500, 200))
    wide = default_bandwidth_m(rng.normal(0, 5000, 200), rng.normal(0, 5000, 200))
    assert wide > 5 * tight
    assert default_bandwidth_m(np.array([1.0]), np.array([1.0])) == 1000.0


def test_gdf_adapter_rejects_missing_crs() -> None:
    """A frame without a CRS is refused with how to set it."""
    gdf = gpd.GeoDataFrame({"tonnes_per_year": [1.0]}, geometry=[Point(26.9, 60.5)])
    with pytest.raises(CRSError, match="set_crs"):
        kde_from_gdf(gdf)


def test_gdf_adapter_works_on_the_demo(demo_programme) -> None:
    """The demo's haves give a heat surface over Karhula holding all their tonnes."""
    from geo.programme import resources_with_sites

    res = resources_with_sites(demo_programme)
    haves = res[(res["direction"] == "have") & res["tonnes_per_year"].notna()]
    s = kde_from_gdf(haves, params=KDEParams(bandwidth_m=250))
    assert _integral(s) == pytest.approx(haves["tonnes_per_year"].sum(), rel=1e-9)
    w, south, e, n = s.bounds_wgs84
    assert w < 26.95 < e and south < 60.53 < n
    assert s.producers == haves["site_id"].nunique()


def test_binned_density_matches_the_exact_kernel_sum() -> None:
    """At every cell centre the binned KDE is within 2 % (of the peak) of the exact Gaussian sum."""
    rng = np.random.default_rng(9)
    x, y = rng.normal(0, 3000, 300), rng.normal(0, 2000, 300)
    w = rng.lognormal(2, 1, 300)
    h = 800.0
    s = kde_surface(x, y, w, crs=UTM35, params=KDEParams(bandwidth_m=h))
    cx, cy = s.grid.cell_centres()
    pick = rng.choice(cx.size, 400, replace=False)
    px, py = cx.ravel()[pick], cy.ravel()[pick]
    d2 = (px[:, None] - x[None, :]) ** 2 + (py[:, None] - y[None, :]) ** 2
    exact = (w[None, :] * np.exp(-d2 / (2 * h**2))).sum(axis=1) / (2 * math.pi * h**2) * 1e6
    err = np.abs(s.values.ravel()[pick] - exact).max() / s.values.max()
    assert err < 0.02
