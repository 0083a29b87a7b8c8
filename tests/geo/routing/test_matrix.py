"""Tests of the road matrices (geo.routing.matrix) and of building instances on a graph."""

from __future__ import annotations

import itertools

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

from geo.errors import RoutingError
from geo.network import graph_from_edges, travel_matrix
from geo.routing.build import build_instance, instance_from_matrices
from geo.routing.matrix import (
    contract_pass_through,
    encoded_adjacency,
    leg_paths,
    road_matrices,
)
from geo.routing.problem import Depot, Fleet, Producer


@pytest.fixture(scope="module")
def karhula_points(demo_graph):  # type: ignore[no-untyped-def]
    """25 node positions of the Karhula graph's connected core (lon, lat)."""
    rng = np.random.default_rng(3)
    nodes = rng.choice(demo_graph._core, 25, replace=False)
    return demo_graph.lon[nodes], demo_graph.lat[nodes]


def test_matrix_equals_networkx_shortest_paths(demo_graph, karhula_points) -> None:  # type: ignore[no-untyped-def]
    """Times equal networkx's fastest paths and distances the lengths of those same paths."""
    lon, lat = karhula_points
    m = road_matrices(demo_graph, lon, lat)
    assert np.all(m.snap_m < 1e-6)  # points are nodes: no access walk
    e = demo_graph.edges.sort_values(["time_s", "length_m"]).drop_duplicates(["u", "v"])
    g = nx.DiGraph()
    for u, v, t, ln in zip(e["u"], e["v"], e["time_s"], e["length_m"], strict=True):
        g.add_edge(int(u), int(v), time=float(t), length=float(ln))
    for i, s in enumerate(m.node):
        times, paths = nx.single_source_dijkstra(g, int(s), weight="time")
        for j, t in enumerate(m.node):
            path = paths[int(t)]
            length = sum(g[a][b]["length"] for a, b in itertools.pairwise(path))
            assert m.duration_s[i, j] == pytest.approx(times[int(t)], abs=0.01 * len(path) + 0.01)
            # Equal-time alternatives are rare; where one exists ours is the shorter.
            assert m.distance_m[i, j] <= length + 0.1 * len(path) + 0.1


def test_matrix_agrees_with_network_travel_matrix(demo_graph, karhula_points) -> None:  # type: ignore[no-untyped-def]
    """One Dijkstra call on the contracted graph gives geo.network's fastest times."""
    lon, lat = karhula_points
    m = road_matrices(demo_graph, lon, lat)
    ref = travel_matrix(demo_graph, m.node, m.node, weight="time")
    assert np.allclose(m.duration_s, ref, atol=0.5)


def test_contraction_keeps_every_shortest_path(demo_graph) -> None:  # type: ignore[no-untyped-def]
    """Contracting pass-through nodes removes most nodes and changes no kept-node distance."""
    from scipy.sparse.csgraph import dijkstra

    adj = encoded_adjacency(demo_graph)
    terminals = demo_graph._core[::40]
    contracted, kept = contract_pass_through(adj, terminals)
    assert contracted.shape[0] < 0.7 * demo_graph.n_nodes
    pos = np.full(demo_graph.n_nodes, -1)
    pos[kept] = np.arange(len(kept))
    full = dijkstra(adj, indices=terminals)[:, terminals]
    small = dijkstra(contracted, indices=pos[terminals])[:, pos[terminals]]
    assert np.array_equal(full, small)


def test_leg_paths_follow_the_measured_route(demo_graph, karhula_points) -> None:  # type: ignore[no-untyped-def]
    """Each drawn leg is a connected node path whose time is the matrix time."""
    lon, lat = karhula_points
    m = road_matrices(demo_graph, lon[:4], lat[:4])
    legs = [(int(m.node[0]), int(m.node[k])) for k in (1, 2, 3)]
    e = demo_graph.edges.sort_values("time_s").drop_duplicates(["u", "v"]).set_index(["u", "v"])
    for k, path in enumerate(leg_paths(demo_graph, legs), start=1):
        assert path[0] == legs[k - 1][0] and path[-1] == legs[k - 1][1]
        t = sum(e.loc[(a, b), "time_s"] for a, b in itertools.pairwise(path))
        assert t == pytest.approx(m.duration_s[0, k], abs=0.01 * len(path) + 0.01)


def _island_graph():  # type: ignore[no-untyped-def]
    """A two-way road of three nodes plus a separate two-node island 3 km away."""
    nodes = pd.DataFrame({"id": [1, 2, 3, 10, 11],
                          "lon": [26.90, 26.91, 26.92, 26.97, 26.975],
                          "lat": [60.50, 60.50, 60.50, 60.50, 60.50]})
    xy = nodes.set_index("id")
    pairs = [(1, 2), (2, 3), (10, 11)]
    edges = gpd.GeoDataFrame(
        {"u": [a for a, _ in pairs], "v": [b for _, b in pairs], "oneway": "no",
         "highway": "residential", "maxspeed": None, "name": ["A", "A", "Island"]},
        geometry=[LineString([tuple(xy.loc[a]), tuple(xy.loc[b])]) for a, b in pairs], crs=4326)
    return graph_from_edges(nodes, edges, source="test")


def test_stop_on_an_island_is_reported_by_name_and_left_out() -> None:
    """A producer on a road island is left out with its name and distance, not given inf."""
    g = _island_graph()
    prods = [Producer("ok", "Near Oy", 26.91, 60.5001, 52.0),
             Producer("isl", "Island Oy", 26.972, 60.5, 52.0)]
    inst = build_instance(prods, Depot("D", 26.90, 60.5), Fleet(), graph=g)
    assert [p.stop_id for p in inst.producers] == ["ok"]
    (ex,) = inst.excluded
    assert ex.name == "Island Oy" and "off the road network" in ex.reason and "km" in ex.reason
    assert np.isfinite(inst.distance_m).all()


def test_unreachable_pair_in_a_matrix_is_reported() -> None:
    """A producer with no path from the depot (inf in the matrix) is reported, not planned."""
    d = np.array([[0, 500, np.inf], [500, 0, np.inf], [np.inf, np.inf, 0]])
    prods = [Producer("a", "A Oy", 0, 0, 52.0), Producer("b", "Trap Oy", 0, 0, 52.0)]
    inst = instance_from_matrices(prods, Depot("D", 0, 0), Fleet(), days=["mon"],
                                  distance_m=d, duration_s=d / 10, method="given")
    assert inst.n_producers == 1
    assert inst.excluded[0].name == "Trap Oy" and "unreachable" in inst.excluded[0].reason


def test_depot_off_the_network_is_refused() -> None:
    """A depot far from every road stops the build with the distance and what to do."""
    g = _island_graph()
    prods = [Producer("ok", "Near Oy", 26.91, 60.5, 52.0)]
    with pytest.raises(RoutingError, match=r"depot 'Far' is \d+\.\d km from the nearest"):
        build_instance(prods, Depot("Far", 27.5, 60.9), Fleet(), graph=g)


def test_no_producers_is_a_clear_message(demo_graph) -> None:  # type: ignore[no-untyped-def]
    """An empty selection says how to select producers."""
    with pytest.raises(RoutingError, match="No producers selected"):
        build_instance([], Depot("D", 26.94, 60.52), Fleet(), graph=demo_graph)


def test_straight_line_stand_in_is_labelled() -> None:
    """Without a graph the instance says its distances are straight-line estimates."""
    prods = [Producer("a", "A", 26.95, 60.52, 52.0)]
    inst = build_instance(prods, Depot("D", 26.94, 60.52), Fleet(), graph=None)
    assert inst.method == "straight-line"
    assert 500 < inst.distance_m[0, 1] < 1000  # 555 m × 1.3 detour
