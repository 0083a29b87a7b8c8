"""Tests of geo.routing.build: stops + depot + fleet + road graph → a routing instance."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

from geo.errors import RoutingError
from geo.network import RoadGraph, graph_from_edges, snap_points, travel_matrix
from geo.routing.build import build_instance, instance_from_matrices
from geo.routing.problem import Depot, Fleet, Producer


def test_road_instance_uses_the_fastest_paths_with_access_legs(demo_graph: RoadGraph) -> None:
    """The instance's matrices are the network's fastest-path figures, rounded to integers,
    with nothing to travel from a stop to itself."""
    stops = [Producer("a", "A", 26.93, 60.52, 52.0), Producer("b", "B", 26.95, 60.53, 52.0)]
    depot = Depot("D", 26.94, 60.525)
    inst = build_instance(stops, depot, Fleet(), graph=demo_graph)
    lon, lat = [depot.lon, 26.93, 26.95], [depot.lat, 60.52, 60.53]
    snap = snap_points(demo_graph, lon, lat)
    ref = travel_matrix(demo_graph, snap, snap, optimise="fastest")
    assert ref.time_s is not None
    off = ~np.eye(3, dtype=bool)
    assert np.array_equal(inst.distance_m[off], np.rint(ref.distance_m[off]).astype(np.int64))
    assert np.array_equal(inst.duration_s[off], np.rint(ref.time_s[off]).astype(np.int64))
    assert np.all(np.diag(inst.distance_m) == 0) and np.all(np.diag(inst.duration_s) == 0)
    assert inst.nodes is not None and inst.nodes.tolist() == snap.node.tolist()


def _island_graph() -> RoadGraph:
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


def test_no_producers_is_a_clear_message(demo_graph: RoadGraph) -> None:
    """An empty selection says how to select producers."""
    with pytest.raises(RoutingError, match="No producers selected"):
        build_instance([], Depot("D", 26.94, 60.52), Fleet(), graph=demo_graph)


def test_straight_line_stand_in_is_labelled() -> None:
    """Without a graph the instance says its distances are straight-line estimates."""
    prods = [Producer("a", "A", 26.95, 60.52, 52.0)]
    inst = build_instance(prods, Depot("D", 26.94, 60.52), Fleet(), graph=None)
    assert inst.method == "straight-line"
    assert 500 < inst.distance_m[0, 1] < 1000  # 555 m × 1.3 detour
