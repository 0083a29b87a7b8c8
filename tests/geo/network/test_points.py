"""Tests of geo.network.points: WGS84 points to a road matrix or the straight-line stand-in."""

from __future__ import annotations

import numpy as np
import pytest

from geo.network import RoadGraph, travel_matrix_for_points


def test_straight_line_fallback_is_labelled_and_scaled() -> None:
    """Without a graph, distances are great-circle × detour and say so."""
    m = travel_matrix_for_points(None, np.array([[27.0, 60.0]]), np.array([[27.0, 61.0]]),
                                 detour_factor=1.3)
    assert m.method == "straight-line"
    assert m.distance_m[0, 0] == pytest.approx(111_200 * 1.3, rel=0.01)
    assert travel_matrix_for_points(None, np.zeros((1, 2)), np.zeros((1, 2)),
                                    with_time=False).time_s is None


def test_road_matrix_adds_snapping_access(demo_graph: RoadGraph) -> None:
    """Road distances include the walk to the road, so they are never below the snap sum."""
    pts = np.array([[26.94, 60.53], [26.95, 60.525]])
    m = travel_matrix_for_points(demo_graph, pts, pts)
    assert m.method == "road"
    assert m.origin_snap_m is not None and m.destination_snap_m is not None
    assert m.distance_m[0, 1] >= m.origin_snap_m[0] + m.destination_snap_m[1]


def test_points_off_the_network_are_unreachable(demo_graph: RoadGraph) -> None:
    """A point 50 km from the Karhula roads gets inf with max_snap_m, a figure without."""
    pts = np.array([[26.94, 60.53], [27.9, 60.53]])
    far = travel_matrix_for_points(demo_graph, pts[:1], pts[1:], max_snap_m=2000.0)
    assert np.isinf(far.distance_m[0, 0])
    assert np.isfinite(travel_matrix_for_points(demo_graph, pts[:1], pts[1:]).distance_m).all()
