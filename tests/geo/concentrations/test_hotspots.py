"""Tests of Getis-Ord Gi* hot spots with FDR (geo.concentrations.hotspots)."""

from __future__ import annotations

import h3
import numpy as np
import pandas as pd
import pytest
from h3.api import numpy_int as h3i
from scipy import sparse

from geo.concentrations.hotspots import (
    HotSpotParams,
    fdr_reject,
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


def test_fdr_matches_benjamini_hochberg_by_hand() -> None:
    """BH at 5 %: thresholds 0.0125, 0.025, 0.0375, 0.05 reject the first two of these."""
    p = np.array([0.01, 0.02, 0.04, 0.3])
    assert fdr_reject(p, 0.05).tolist() == [True, True, False, False]
    assert not fdr_reject(np.array([0.2, 0.3]), 0.05).any()


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
