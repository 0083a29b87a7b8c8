"""Tests of geo.network: graph loading, snapping, matrices, fallbacks."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

from geo.errors import NetworkError, OfflineError
from geo.network import (
    calibrate_detour_factor,
    graph_from_bbox,
    graph_from_edges,
    graph_from_pbf,
    route_geometry,
    shortest_path_nodes,
    snap_points,
    straight_line_matrix,
    travel_matrix,
    travel_matrix_for_points,
)
from geo.settings import Settings


def _line_graph(oneway: str | None = None):  # type: ignore[no-untyped-def]
    """Three nodes on a parallel, 0.01° of longitude apart (~556 m at 60° N)."""
    nodes = pd.DataFrame({"id": [1, 2, 3], "lon": [27.0, 27.01, 27.02],
                          "lat": [60.0, 60.0, 60.0]})
    edges = gpd.GeoDataFrame(
        {"u": [1, 2], "v": [2, 3], "oneway": [oneway, oneway],
         "highway": ["residential", "residential"], "maxspeed": [None, None],
         "name": ["A", "B"]},
        geometry=[LineString([(27.0, 60.0), (27.01, 60.0)]),
                  LineString([(27.01, 60.0), (27.02, 60.0)])], crs=4326)
    return graph_from_edges(nodes, edges, source="test")


def test_two_way_line_distances_are_symmetric_and_metric() -> None:
    """A two-way line of two ~556 m edges gives ~1,112 m end to end both ways."""
    g = _line_graph()
    d = travel_matrix(g, np.array([0, 2]), np.array([0, 2]))
    assert d[0, 1] == pytest.approx(1112, rel=0.01)
    assert d[1, 0] == pytest.approx(d[0, 1])


def test_oneway_streets_make_the_reverse_unreachable() -> None:
    """With oneway=yes the way back does not exist (inf), not zero or the forward cost."""
    g = _line_graph("yes")
    d = travel_matrix(g, np.array([2]), np.array([0]))
    assert np.isinf(d[0, 0])


def test_time_uses_default_speed_of_the_road_class() -> None:
    """Residential roads without maxspeed run at 30 km/h: 1,112 m take ~133 s."""
    g = _line_graph()
    t = travel_matrix(g, np.array([0]), np.array([2]), weight="time")
    assert t[0, 0] == pytest.approx(1112 / (30 / 3.6), rel=0.01)


def test_demo_graph_matrix_equals_networkx(demo_graph) -> None:  # type: ignore[no-untyped-def]
    """One sparse Dijkstra call gives the same costs as networkx on the Karhula graph."""
    coo = demo_graph.length_m.tocoo()
    g = nx.DiGraph()
    g.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(),
                                  strict=True))
    rng = np.random.default_rng(1)
    src = rng.choice(demo_graph._core, 5, replace=False)
    dst = rng.choice(demo_graph._core, 7, replace=False)
    ours = travel_matrix(demo_graph, src, dst)
    for i, s in enumerate(src):
        lengths = nx.single_source_dijkstra_path_length(g, int(s))
        for j, t in enumerate(dst):
            assert ours[i, j] == pytest.approx(lengths[int(t)])


def test_snap_reports_distance_in_metres(demo_graph) -> None:  # type: ignore[no-untyped-def]
    """A point 0.001° north of a node snaps to a node within ~111 m, reported in metres."""
    i = int(demo_graph._core[0])
    snap = snap_points(demo_graph, [demo_graph.lon[i]], [demo_graph.lat[i] + 0.001])
    assert 0 <= snap.distance_m[0] <= 112
    assert snap.node[0] in set(demo_graph._core.tolist())


def test_snap_refuses_missing_coordinates(demo_graph) -> None:  # type: ignore[no-untyped-def]
    """Unlocated points cannot be snapped and the message says to geocode them."""
    with pytest.raises(NetworkError, match="geocode"):
        snap_points(demo_graph, [np.nan], [60.5])


def test_route_geometry_follows_the_path(demo_graph) -> None:  # type: ignore[no-untyped-def]
    """The route geometry's length in metres equals the shortest-path cost."""
    a, b = int(demo_graph._core[0]), int(demo_graph._core[-1])
    path = shortest_path_nodes(demo_graph, a, b, weight="length")
    line = gpd.GeoSeries([route_geometry(demo_graph, path)], crs=4326).to_crs(
        demo_graph.crs_metric)
    cost = travel_matrix(demo_graph, np.array([a]), np.array([b]))[0, 0]
    assert line.length.iloc[0] == pytest.approx(cost, rel=0.01)


def test_straight_line_fallback_is_labelled_and_scaled() -> None:
    """Without a graph, distances are great-circle × detour and say so."""
    m = travel_matrix_for_points(None, np.array([[27.0, 60.0]]), np.array([[27.0, 61.0]]),
                                 detour_factor=1.3)
    assert m.method == "straight-line"
    assert m.distance_m[0, 0] == pytest.approx(111_200 * 1.3, rel=0.01)


def test_detour_factor_below_one_is_refused() -> None:
    """A detour factor under 1 would make roads shorter than the crow flies."""
    with pytest.raises(NetworkError, match=r"at least 1\.0"):
        straight_line_matrix(np.zeros((1, 2)), np.zeros((1, 2)), detour_factor=0.8)


def test_road_matrix_adds_snapping_access(demo_graph) -> None:  # type: ignore[no-untyped-def]
    """Road distances include the walk to the road, so they are never below the snap sum."""
    pts = np.array([[26.94, 60.53], [26.95, 60.525]])
    m = travel_matrix_for_points(demo_graph, pts, pts)
    assert m.method == "road"
    assert m.distance_m[0, 1] >= m.origin_snap_m[0] + m.destination_snap_m[1]


def test_calibrated_detour_is_plausible(demo_graph) -> None:  # type: ignore[no-untyped-def]
    """Karhula's road circuity lies in the range seen for road networks (1.1–2.0)."""
    assert 1.1 <= calibrate_detour_factor(demo_graph) <= 2.0


def test_missing_pbf_file_is_explained(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A path that does not exist gets a message naming it."""
    with pytest.raises(NetworkError, match="does not exist"):
        graph_from_pbf(tmp_path / "nope.osm.pbf")


def test_download_refused_when_offline(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """With online OSM off, a download is refused with the offline alternative."""
    with pytest.raises(OfflineError, match=r"\.osm\.pbf"):
        graph_from_bbox((26.9, 60.5, 27.0, 60.6), settings=Settings(data_dir=tmp_path))


def test_liechtenstein_extract_loads(bench_dir) -> None:  # type: ignore[no-untyped-def]
    """The regional Liechtenstein extract gives a connected core of over 1,000 nodes."""
    g = graph_from_pbf(bench_dir / "osm" / "liechtenstein-2013-08-03.osm.pbf")
    assert len(g._core) > 1000
