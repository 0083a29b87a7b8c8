"""Road networks: the one place that loads road graphs and computes travel distances and times."""

from __future__ import annotations

from geo.network.graph import (
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_SPEEDS_KMH,
    RoadGraph,
    SnapResult,
    TravelMatrix,
    calibrate_detour_factor,
    demo_graph,
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

__all__ = [
    "DEFAULT_DETOUR_FACTOR",
    "DEFAULT_SPEEDS_KMH",
    "RoadGraph",
    "SnapResult",
    "TravelMatrix",
    "calibrate_detour_factor",
    "demo_graph",
    "graph_from_bbox",
    "graph_from_edges",
    "graph_from_pbf",
    "route_geometry",
    "shortest_path_nodes",
    "snap_points",
    "straight_line_matrix",
    "travel_matrix",
    "travel_matrix_for_points",
]
