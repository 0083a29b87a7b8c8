"""Tests of Getis-Ord Gi* hot spots with FDR (geo.concentrations.hotspots)."""

from __future__ import annotations

import h3
import numpy as np
import pandas as pd
import pytest
from h3.api import numpy_int as h3i
from scipy import sparse, stats

from geo.concentrations.hotspots import (
    HotSpotParams,
    gi_bins,
    gi_star,
    hex_weights,
    hot_spots,
    hot_spots_from_hexagons,
)

FULL = HotSpotParams(include_empty=False)


def _grid(radius: int = 10) -> np.ndarray:
    centre = h3i.latlng_to_cell(56.0, -4.0, 7)
    return np.asarray(h3i.grid_disk(centre, radius), dtype=np.uint64).view(np.int64)


def test_planted_hot_spot_is_flagged() -> None:
    """A block of high tonnage among noise is a 99 % hot spot; far noise cells are not."""
    cells = _grid()
    rng = np.random.default_rng(0)
    values = rng.uniform(9, 11, len(cells))
    plant_centre = int(h3i.grid_ring(int(cells.view(np.uint64)[0]), 5)[0])
    plant = set(h3i.grid_disk(plant_centre, 1).tolist())
    planted = np.array([int(c) in plant for c in cells.view(np.uint64)])
    values[planted] = 100.0
    out = hot_spots(cells, values, params=FULL)
    assert (out.loc[planted, "gi_bin"] == 3).all()
    far = np.array([h3i.grid_distance(int(c), plant_centre) > 3 for c in cells.view(np.uint64)])
    assert (out.loc[far, "gi_bin"] <= 0).all()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_uniform_noise_has_no_hot_spot_after_fdr(seed: int) -> None:
    """Independent uniform noise gives no significant cell once the FDR correction applies."""
    cells = _grid()
    values = np.random.default_rng(seed).uniform(0, 10, len(cells))
    out = hot_spots(cells, values, params=FULL)
    assert (out["gi_bin"] == 0).all()


def test_gi_star_equals_the_textbook_formula() -> None:
    """The sparse Gi* equals a plain loop over the Ord & Getis formula."""
    rng = np.random.default_rng(4)
    n = 30
    w = (rng.random((n, n)) < 0.2).astype(float)
    w = np.maximum(w, w.T)
    np.fill_diagonal(w, 1.0)
    x = rng.lognormal(1, 1, n)
    mean, s = x.mean(), np.sqrt((x**2).mean() - x.mean() ** 2)
    expected = []
    for i in range(n):
        wi, s1 = w[i].sum(), (w[i] ** 2).sum()
        expected.append((w[i] @ x - mean * wi) / (s * np.sqrt((n * s1 - wi**2) / (n - 1))))
    np.testing.assert_allclose(gi_star(x, sparse.csr_matrix(w)), expected, rtol=1e-10)


def test_constant_values_give_no_signal() -> None:
    """Equal tonnes everywhere give z = 0 everywhere."""
    cells = _grid(3)
    out = hot_spots(cells, np.full(len(cells), 5.0), params=FULL)
    assert (out["gi_z"] == 0).all() and (out["gi_bin"] == 0).all()


def _hand_written_bh(p_values: np.ndarray, alpha: float) -> np.ndarray:
    """Benjamini–Hochberg step-up as hotspots.fdr_reject wrote it by hand (the oracle)."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(p, kind="stable")
    passed = p[order] <= alpha * np.arange(1, m + 1) / m
    if not passed.any():
        return np.zeros(m, dtype=bool)
    cutoff = p[order][np.nonzero(passed)[0].max()]
    return np.asarray(p <= cutoff, dtype=bool)


def _hand_written_gi_bins(z: np.ndarray) -> np.ndarray:
    """Gi_Bin classes with FDR as gi_bins computed them with the hand-written BH (the oracle)."""
    p = 2.0 * stats.norm.sf(np.abs(z))
    bins = np.zeros(len(z), dtype=np.int8)
    for level, alpha in ((1, 0.10), (2, 0.05), (3, 0.01)):
        bins[_hand_written_bh(p, alpha)] = level
    return np.where(z < 0, -bins, bins).astype(np.int8)


def test_fdr_turns_a_lone_two_sigma_cell_insignificant() -> None:
    """Among five cells, FDR keeps 3 σ significant (at 95 %) and drops the 2 σ cell."""
    z = np.array([3.0, 2.0, 1.0, 0.0, -0.5])
    assert gi_bins(z, fdr=False)[1].tolist() == [3, 2, 0, 0, 0]
    assert gi_bins(z)[1].tolist() == [2, 0, 0, 0, 0]


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.10])
@pytest.mark.parametrize("seed", range(4))
def test_scipy_bh_rejects_what_the_hand_written_step_up_rejected(seed: int, alpha: float) -> None:
    """scipy's BH-adjusted p ≤ α rejects exactly the hand-written step-up's set, ties included."""
    rng = np.random.default_rng(seed)
    for m in (1, 2, 3, 10, 100, 2000):
        for p in (rng.random(m) ** rng.uniform(1, 8), rng.choice(rng.random(4) ** 4, m)):
            expected = _hand_written_bh(p, alpha)
            np.testing.assert_array_equal(stats.false_discovery_control(p, method="bh") <= alpha,
                                          expected)


@pytest.mark.parametrize("seed", range(6))
def test_gi_bins_equal_the_hand_written_fdr_classes(seed: int) -> None:
    """On random z-scores (many zeros and repeats, as empty rings give) classes are unchanged."""
    rng = np.random.default_rng(seed)
    for n in (0, 1, 3, 50, 5000):
        z = rng.normal(0, rng.uniform(0.5, 4), n)
        z[rng.random(n) < 0.3] = 0.0
        repeated = rng.random(n) < 0.2
        z[repeated] = rng.choice([-2.1, 1.7, 2.6], int(repeated.sum()))
        np.testing.assert_array_equal(gi_bins(z)[1], _hand_written_gi_bins(z))


def test_planted_hot_spot_classes_equal_the_hand_written_fdr() -> None:
    """On a hexagon grid with a planted hot spot, every cell's class is the hand-written one."""
    cells = _grid(12)
    rng = np.random.default_rng(7)
    values = rng.lognormal(1, 1, len(cells))
    values[:40] *= 8
    out = hot_spots(cells, values)
    np.testing.assert_array_equal(out["gi_bin"].to_numpy(),
                                  _hand_written_gi_bins(out["gi_z"].to_numpy()))
    assert (out["gi_bin"] > 0).any()


def test_weights_include_the_focal_cell_and_its_ring() -> None:
    """Each interior cell has itself and its 6 neighbours; cells outside the set are ignored."""
    cells = _grid(2)
    w = hex_weights(cells, k_ring=1)
    counts = np.asarray(w.sum(axis=1)).ravel()
    assert counts[0] == 7  # the centre
    assert counts.min() >= 3
    assert (w.diagonal() == 1).all()


def test_empty_ring_is_added_to_the_study_area() -> None:
    """With include_empty, empty neighbours join with value 0 and a lone cluster becomes hot."""
    centre = h3i.latlng_to_cell(56.0, -4.0, 8)
    occupied = np.asarray(h3i.grid_disk(centre, 1), dtype=np.uint64).view(np.int64)
    out = hot_spots(occupied, np.full(7, 50.0), params=HotSpotParams(k_ring=1))
    assert len(out) == len(h3i.grid_disk(centre, 2))
    assert (out["value"] == 0).sum() == len(out) - 7
    assert out.loc[out["cell"] == np.uint64(centre).view(np.int64), "gi_z"].iloc[0] > 0


def test_viewer_output_carries_classes_only() -> None:
    """For viewers, hot spots carry the class but no tonnes, z or p."""
    cells = _grid(2)
    hexes = pd.DataFrame({"h3_cell": [h3.int_to_str(int(c)) for c in cells.view(np.uint64)],
                          "tonnes": np.arange(len(cells), dtype=float)})
    out = hot_spots_from_hexagons(hexes, show_figures=False)
    assert {"tonnes", "gi_z", "p_value"}.isdisjoint(out.columns)
    assert {"h3_cell", "gi_bin", "label"} <= set(out.columns)
    assert out.crs.to_epsg() == 4326
