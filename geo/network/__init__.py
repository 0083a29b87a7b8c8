"""Road networks: the one place that loads road graphs and computes travel distances and times.

Every capability (the site finder, the milk-round planner, synergy matching) stands on it; no
other module searches a road graph. One module per concept:

- :mod:`~geo.network.graph` — :class:`RoadGraph` (a directed drivable graph as arrays),
  :func:`graph_from_edges`, and the speeds (by road class, HGV cap, access walk);
- :mod:`~geo.network.load` — :func:`demo_graph` (the Karhula extract shipped in pyrosm,
  offline), :func:`graph_from_pbf` (a user's ``.osm.pbf``), :func:`graph_from_bbox` (osmnx,
  online, cached on disk);
- :mod:`~geo.network.snap` — :func:`snap_points`: nearest drivable node and snap distance (m);
- :mod:`~geo.network.weights` — float metres, or exact lexicographic (time, length) integers;
- :mod:`~geo.network.contract` — pass-through contraction of shape-only nodes;
- :mod:`~geo.network.matrix` — :func:`travel_matrix`, the one distance and time matrix
  (``optimise="shortest"`` or ``"fastest"``, directed, search limit, off-network points);
- :mod:`~geo.network.points` — :func:`travel_matrix_for_points`: WGS84 points in, roads or the
  straight-line stand-in out;
- :mod:`~geo.network.straight_line` — the great circle, straight line × detour factor
  (:data:`DEFAULT_DETOUR_FACTOR`) and :func:`calibrate_detour_factor`;
- :mod:`~geo.network.paths` — :func:`leg_paths`, :func:`edge_shapes`, :func:`route_geometry`
  with the matrix's own weights.

Coordinates in and out are WGS84 lon/lat; all measuring happens in the graph's metric CRS
(UTM zone estimated from the data) or on the sphere.
"""

from __future__ import annotations

from geo.network.graph import (
    ACCESS_SPEED_KMH,
    DEFAULT_SPEEDS_KMH,
    HGV_SPEED_CAP_KMH,
    OTHER_ROAD_SPEED_KMH,
    RoadGraph,
    access_time_s,
    graph_from_edges,
)
from geo.network.load import demo_graph, graph_from_bbox, graph_from_pbf
from geo.network.matrix import TravelMatrix, travel_matrix
from geo.network.paths import edge_shapes, leg_paths, route_geometry
from geo.network.points import travel_matrix_for_points
from geo.network.snap import SnapResult, snap_points
from geo.network.straight_line import (
    DEFAULT_DETOUR_FACTOR,
    EARTH_RADIUS_M,
    STRAIGHT_LINE_SPEED_KMH,
    calibrate_detour_factor,
    great_circle_m,
    great_circle_matrix_m,
    straight_line_matrix,
    unit_vectors,
)
from geo.network.weights import OPTIMISE, Optimise

__all__ = [
    "ACCESS_SPEED_KMH",
    "DEFAULT_DETOUR_FACTOR",
    "DEFAULT_SPEEDS_KMH",
    "EARTH_RADIUS_M",
    "HGV_SPEED_CAP_KMH",
    "OPTIMISE",
    "OTHER_ROAD_SPEED_KMH",
    "STRAIGHT_LINE_SPEED_KMH",
    "Optimise",
    "RoadGraph",
    "SnapResult",
    "TravelMatrix",
    "access_time_s",
    "calibrate_detour_factor",
    "demo_graph",
    "edge_shapes",
    "graph_from_bbox",
    "graph_from_edges",
    "graph_from_pbf",
    "great_circle_m",
    "great_circle_matrix_m",
    "leg_paths",
    "route_geometry",
    "snap_points",
    "straight_line_matrix",
    "travel_matrix",
    "travel_matrix_for_points",
    "unit_vectors",
]
