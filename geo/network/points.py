"""Travel between WGS84 points: over the roads where there is a graph, else the stand-in.

:func:`travel_matrix_for_points` is the adapter for callers that hold coordinates: it snaps
the points (:mod:`geo.network.snap`) and calls :func:`geo.network.matrix.travel_matrix`, or,
without a graph, returns the labelled straight-line × detour stand-in
(:mod:`geo.network.straight_line`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from geo.network.matrix import TravelMatrix, travel_matrix
from geo.network.snap import snap_points
from geo.network.straight_line import DEFAULT_DETOUR_FACTOR, straight_line_matrix

if TYPE_CHECKING:
    from geo.network.graph import RoadGraph
    from geo.network.weights import Optimise

__all__ = ["travel_matrix_for_points"]


def travel_matrix_for_points(
    graph: RoadGraph | None,
    origins_lonlat: np.ndarray,
    destinations_lonlat: np.ndarray,
    *,
    optimise: Optimise = "shortest",
    with_time: bool = True,
    limit_m: float | None = None,
    max_snap_m: float | None = None,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
) -> TravelMatrix:
    """Road distances and times between WGS84 points, or the straight-line stand-in.

    With a graph, points are snapped to it and :func:`~geo.network.matrix.travel_matrix`
    measures the roads, the snapping distance (a straight walk to the road) added to both
    ends at :data:`~geo.network.graph.ACCESS_SPEED_KMH`; ``optimise``, ``with_time``,
    ``limit_m`` and ``max_snap_m`` mean what they mean there. Without one (``graph=None``)
    the great-circle distance × ``detour_factor`` stands in (``method="straight-line"``).

    Parameters
    ----------
    graph : RoadGraph or None
    origins_lonlat, destinations_lonlat : ndarray, shape (n, 2)
        WGS84 lon/lat.

    Returns
    -------
    TravelMatrix
        Metres and seconds, origins × destinations; ``time_s`` is None if ``with_time`` is
        False.

    Examples
    --------
    >>> from geo.network import demo_graph
    >>> pts = np.array([[26.94, 60.53], [26.95, 60.525]])
    >>> m = travel_matrix_for_points(demo_graph(), pts, pts)
    >>> m.method, bool(m.distance_m[0, 1] >= m.origin_snap_m[0] + m.destination_snap_m[1])
    ('road', True)
    >>> travel_matrix_for_points(None, pts, pts).method
    'straight-line'
    """
    o = np.asarray(origins_lonlat, float).reshape(-1, 2)
    d = np.asarray(destinations_lonlat, float).reshape(-1, 2)
    if graph is None:
        tm = straight_line_matrix(o, d, detour_factor=detour_factor)
        return tm if with_time else replace(tm, time_s=None)
    return travel_matrix(graph, snap_points(graph, o[:, 0], o[:, 1]),
                         snap_points(graph, d[:, 0], d[:, 1]), optimise=optimise,
                         with_time=with_time, limit_m=limit_m, max_snap_m=max_snap_m)
