"""Tests of geo.network.snap: nearest drivable node and the snapping distance."""

from __future__ import annotations

import numpy as np
import pytest

from geo.errors import NetworkError
from geo.network import RoadGraph, SnapResult, snap_points


def test_snap_reports_distance_in_metres(demo_graph: RoadGraph) -> None:
    """A point 0.001° north of a node snaps to a node within ~111 m, reported in metres."""
    i = int(demo_graph.core_nodes[0])
    snap = snap_points(demo_graph, [demo_graph.lon[i]], [demo_graph.lat[i] + 0.001])
    assert 0 <= snap.distance_m[0] <= 112
    assert snap.node[0] in set(demo_graph.core_nodes.tolist())


def test_snap_places_points_only_on_the_core(oneway_line_graph: RoadGraph) -> None:
    """On a one-way line every point snaps to the one core node, however close another is."""
    snap = snap_points(oneway_line_graph, [27.0, 27.01, 27.02], [60.0, 60.0, 60.0])
    assert set(snap.node.tolist()) == set(oneway_line_graph.core_nodes.tolist())
    assert np.sort(snap.distance_m)[1] == pytest.approx(556, rel=0.01)


def test_snap_refuses_missing_coordinates(demo_graph: RoadGraph) -> None:
    """Unlocated points cannot be snapped and the message says to geocode them."""
    with pytest.raises(NetworkError, match="geocode"):
        snap_points(demo_graph, [np.nan], [60.5])


def test_snap_refuses_unequal_lengths(demo_graph: RoadGraph) -> None:
    """Two longitudes with one latitude are refused, naming both shapes."""
    with pytest.raises(NetworkError, match="same length"):
        snap_points(demo_graph, [26.9, 27.0], [60.5])


def test_no_points_snap_to_nothing(demo_graph: RoadGraph) -> None:
    """An empty selection gives empty arrays, not an error."""
    snap = snap_points(demo_graph, [], [])
    assert snap.node.shape == (0,) and snap.distance_m.shape == (0,)


def test_nodes_as_points_have_no_access_leg() -> None:
    """SnapResult.at_nodes places points on the given nodes at 0 m."""
    at = SnapResult.at_nodes([3, 1])
    assert at.node.tolist() == [3, 1] and at.distance_m.tolist() == [0.0, 0.0]
