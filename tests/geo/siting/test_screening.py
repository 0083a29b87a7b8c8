"""The national straight-line screening grid and separated proposals."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest

from geo.concentrations.density import Grid
from geo.errors import SitingError
from geo.siting.screening import screen_grid, separated_top_cells

CRS = pyproj.CRS.from_epsg(27700)


def test_tonnes_within_reach_match_a_direct_count() -> None:
    """Each cell's tonnage equals the records within limit ÷ detour of its centre."""
    rng = np.random.default_rng(1)
    grid = Grid(x0=0, y1=60_000, cell_m=1000, nx=60, ny=60, crs=CRS)
    x = rng.integers(0, 60, 300) * 1000 + 500.0
    y = rng.integers(0, 60, 300) * 1000 + 500.0
    t = rng.uniform(1, 100, 300)
    s = screen_grid(x, y, t, crs=CRS, max_haul_m=13_000, max_throughput_t=1e6, grid=grid,
                    detour_factor=1.3)
    cx, cy = grid.cell_centres()
    for r, c in [(10, 10), (30, 45), (59, 0)]:
        within = np.hypot(x - cx[r, c], y - cy[r, c]) <= 10_000 + 1e-6
        assert s.tonnes[r, c] == pytest.approx(t[within].sum())
        if within.any():
            haul = np.hypot(x - cx[r, c], y - cy[r, c])[within] * 1.3 / 1000
            assert s.mean_haul_km[r, c] == pytest.approx(np.average(haul, weights=t[within]))
    assert "straight-line" in s.method


def test_proposals_keep_their_distance() -> None:
    """Proposed sites are at least the minimum separation apart and best first."""
    rng = np.random.default_rng(2)
    x = np.r_[rng.normal(20_000, 2000, 500), rng.normal(70_000, 2000, 300)]
    y = np.r_[rng.normal(20_000, 2000, 500), rng.normal(60_000, 2000, 300)]
    s = screen_grid(x, y, np.ones(len(x)), crs=CRS, max_haul_m=10_000, max_throughput_t=500)
    top = separated_top_cells(s, n=3, min_separation_m=15_000)
    xy = top[["x", "y"]].to_numpy()
    gaps = np.hypot(*(xy[:, None] - xy[None, :]).transpose(2, 0, 1))
    assert gaps[np.triu_indices(len(xy), 1)].min() >= 15_000
    assert top["score"].is_monotonic_decreasing
    assert np.hypot(xy[0, 0] - 20_000, xy[0, 1] - 20_000) < 3000


def test_bad_screening_input() -> None:
    """Negative tonnage is refused with the rule."""
    with pytest.raises(SitingError, match="≥ 0"):
        screen_grid([0.0], [0.0], [-1.0], crs=CRS, max_haul_m=1000, max_throughput_t=10)
