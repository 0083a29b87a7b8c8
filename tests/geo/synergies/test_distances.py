"""Tests of geo.synergies.distances: site-to-site distances by road or straight line."""

from __future__ import annotations

import numpy as np
import pytest

from geo.network import RoadGraph, travel_matrix_for_points
from geo.synergies.distances import METHODS, SiteDistances

LON = np.array([26.93, 26.95, 26.94, np.nan])
LAT = np.array([60.52, 60.53, 60.525, np.nan])


def test_straight_line_pairs_and_block_agree_and_flag_unlocated() -> None:
    """Pairs and blocks give the same detoured great-circle km (to the micrometre: one is a
    matrix product); unlocated sites get NaN."""
    d = SiteDistances.straight_line(LON, LAT, detour_factor=1.3)
    km, method = d.pairs(np.array([0, 0, 3]), np.array([1, 2, 0]))
    block, bmethod = d.block(np.array([0]), np.array([1, 2, 3]))
    np.testing.assert_allclose(km[:2], block[0, :2], rtol=1e-8)
    assert [METHODS[m] for m in method] == ["straight-line", "straight-line", "unlocated"]
    assert np.isnan(km[2]) and np.isnan(block[0, 2]) and bmethod[0, 2] == 2


def test_by_road_rows_are_the_network_shortest_distances(demo_graph: RoadGraph) -> None:
    """Road rows hold the network's shortest distances in km, flagged road."""
    d = SiteDistances.by_road(demo_graph, LON, LAT, origins=np.array([0, 3]))
    ok = np.isfinite(LON)
    pts = np.column_stack([LON[ok], LAT[ok]])
    ref = travel_matrix_for_points(demo_graph, pts[:1], pts, with_time=False).distance_m
    km, method = d.pairs(np.array([0, 0, 0]), np.array([0, 1, 2]))
    np.testing.assert_allclose(km, ref[0] / 1000.0, rtol=1e-12)
    assert (method == 0).all()
    assert d.road_row_of is not None and d.road_row_of[3] == -1  # unlocated: no row


def test_by_road_to_equals_the_rows_towards_one_site(demo_graph: RoadGraph) -> None:
    """Distances towards one destination equal each origin's own road row to it."""
    to = SiteDistances.by_road_to(demo_graph, LON, LAT, destination=2)
    rows = SiteDistances.by_road(demo_graph, LON, LAT, origins=np.array([0, 1]))
    km_to, m_to = to.pairs(np.array([0, 1]), np.array([2, 2]))
    km_rows, _ = rows.pairs(np.array([0, 1]), np.array([2, 2]))
    np.testing.assert_allclose(km_to, km_rows, rtol=1e-12)
    assert (m_to == 0).all()
    assert km_to == pytest.approx(to.block(np.array([0, 1]), np.array([2]))[0][:, 0])
