"""Tests of geo.network.graph: building a RoadGraph, speeds, its connected core."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

from geo.errors import NetworkError
from geo.network import ACCESS_SPEED_KMH, RoadGraph, access_time_s, graph_from_edges


def test_edges_are_measured_in_metres(line_graph: RoadGraph) -> None:
    """Each 0.01° edge at 60° N measures ~556 m in the graph's metric CRS, both ways."""
    assert line_graph.length_m[0, 1] == pytest.approx(556, rel=0.01)
    assert line_graph.length_m[1, 0] == pytest.approx(line_graph.length_m[0, 1])
    assert line_graph.n_edges == 4


def test_time_uses_default_speed_of_the_road_class(line_graph: RoadGraph) -> None:
    """Residential roads without maxspeed run at 30 km/h: 1,112 m take ~133 s."""
    t = line_graph.time_s[0, 1] + line_graph.time_s[1, 2]
    assert t == pytest.approx(1112 / (30 / 3.6), rel=0.01)


def test_posted_speed_counts_but_is_capped_for_lorries() -> None:
    """A posted 50 km/h is used; a posted 120 km/h is capped at 80 km/h."""
    nodes = pd.DataFrame({"id": [1, 2, 3], "lon": [27.0, 27.01, 27.02], "lat": [60.0] * 3})
    edges = gpd.GeoDataFrame(
        {"u": [1, 2], "v": [2, 3], "oneway": "yes", "highway": "motorway",
         "maxspeed": ["50", "120 mph"]},
        geometry=[LineString([(27.0, 60.0), (27.01, 60.0)]),
                  LineString([(27.01, 60.0), (27.02, 60.0)])], crs=4326)
    g = graph_from_edges(nodes, edges, source="test")
    assert g.length_m[0, 1] / g.time_s[0, 1] * 3.6 == pytest.approx(50)
    assert g.length_m[1, 2] / g.time_s[1, 2] * 3.6 == pytest.approx(80)


def test_oneway_keeps_only_the_forward_edges(oneway_line_graph: RoadGraph) -> None:
    """oneway=yes gives edges 0→1→2 and nothing back."""
    assert oneway_line_graph.n_edges == 2
    assert oneway_line_graph.length_m[1, 0] == 0


def test_core_is_the_largest_strongly_connected_part(line_graph: RoadGraph,
                                                     oneway_line_graph: RoadGraph) -> None:
    """A two-way line is all core; on a one-way line no two nodes reach each other."""
    assert len(line_graph.core_nodes) == 3
    assert len(oneway_line_graph.core_nodes) == 1


def test_core_nodes_are_read_only(demo_graph: RoadGraph) -> None:
    """The core of a built graph cannot be changed in place."""
    with pytest.raises(ValueError, match="read-only"):
        demo_graph.core_nodes[0] = 0


def test_nearest_core_node_of_a_node_is_itself(demo_graph: RoadGraph) -> None:
    """A node of the core, given in metres, is its own nearest core node at 0 m."""
    nodes = demo_graph.core_nodes[:5]
    found, dist = demo_graph.nearest_core_nodes(demo_graph.x[nodes], demo_graph.y[nodes])
    assert np.array_equal(found, nodes)
    assert np.allclose(dist, 0.0)


def test_access_time_is_at_the_access_speed() -> None:
    """An access leg of 1 km takes 3,600 / 30 = 120 s."""
    assert ACCESS_SPEED_KMH == 30.0
    assert access_time_s(np.array([1000.0]))[0] == pytest.approx(120.0)


def test_edges_outside_wgs84_are_refused() -> None:
    """Edges in a projected CRS are refused with the fix (reproject to 4326)."""
    nodes = pd.DataFrame({"id": [1, 2], "lon": [27.0, 27.01], "lat": [60.0, 60.0]})
    edges = gpd.GeoDataFrame({"u": [1], "v": [2]},
                             geometry=[LineString([(0, 0), (500, 0)])], crs=3067)
    with pytest.raises(NetworkError, match=r"to_crs\(4326\)"):
        graph_from_edges(nodes, edges, source="test")
