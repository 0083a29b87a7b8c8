"""Tests of geo.network.paths: leg paths and route geometry with the matrix's weights."""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pytest

from geo.network import (
    RoadGraph,
    edge_shapes,
    leg_paths,
    route_geometry,
    snap_points,
    travel_matrix,
)


def test_route_geometry_follows_the_path(demo_graph: RoadGraph) -> None:
    """The route geometry's length in metres equals the shortest-path cost."""
    a, b = int(demo_graph.core_nodes[0]), int(demo_graph.core_nodes[-1])
    (path,) = leg_paths(demo_graph, [(a, b)], optimise="shortest")
    line = gpd.GeoSeries([route_geometry(demo_graph, path)], crs=4326).to_crs(
        demo_graph.crs_metric)
    cost = travel_matrix(demo_graph, [a], [b]).distance_m[0, 0]
    assert line.length.iloc[0] == pytest.approx(cost, rel=0.01)


def test_leg_paths_follow_the_measured_route(demo_graph: RoadGraph,
                                             karhula_points: tuple[np.ndarray, np.ndarray]
                                             ) -> None:
    """Each drawn leg is a connected node path whose time is the matrix time."""
    lon, lat = karhula_points
    snap = snap_points(demo_graph, lon[:4], lat[:4])
    m = travel_matrix(demo_graph, snap, snap, optimise="fastest")
    assert m.time_s is not None
    legs = [(int(snap.node[0]), int(snap.node[k])) for k in (1, 2, 3)]
    e = demo_graph.edges.sort_values("time_s").drop_duplicates(["u", "v"]).set_index(["u", "v"])
    for k, path in enumerate(leg_paths(demo_graph, legs, optimise="fastest"), start=1):
        assert path[0] == legs[k - 1][0] and path[-1] == legs[k - 1][1]
        t = sum(e.loc[(a, b), "time_s"] for a, b in itertools.pairwise(path))
        assert t == pytest.approx(m.time_s[0, k], abs=0.01 * len(path) + 0.01)


def test_legs_to_self_and_without_a_path(oneway_line_graph: RoadGraph) -> None:
    """A leg to its own node is that node; a leg with no path is its two ends."""
    assert leg_paths(oneway_line_graph, [(1, 1), (2, 0), (0, 2)]) == [[1], [2, 0], [0, 1, 2]]
    assert leg_paths(oneway_line_graph, []) == []


def test_edge_shapes_follow_edges_or_draw_a_straight_segment(line_graph: RoadGraph) -> None:
    """An edge's shape is its geometry u→v; a pair without an edge gets a straight segment."""
    shapes = edge_shapes(line_graph, [(1, 0), (0, 2)], optimise="fastest")
    assert shapes[(1, 0)] == [(27.01, 60.0), (27.0, 60.0)]
    assert shapes[(0, 2)] == [(27.0, 60.0), (27.02, 60.0)]


def test_route_geometry_joins_edges_without_repeating_nodes(line_graph: RoadGraph) -> None:
    """A path over two edges is one line through the three nodes."""
    assert list(route_geometry(line_graph, [0, 1, 2]).coords) == [
        (27.0, 60.0), (27.01, 60.0), (27.02, 60.0)]
