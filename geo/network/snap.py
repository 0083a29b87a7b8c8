"""Snap points to the road graph: the nearest drivable node and the straight distance to it.

Points join the network at the nearest node of the graph's strongly connected core
(:attr:`~geo.network.graph.RoadGraph.core_nodes`), so every snapped point can reach every
other one. The snapping distance (metres, measured in the graph's metric CRS) is reported:
travel matrices add it at both ends as an access leg, and callers use it to tell points that
are off the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from geo.errors import NetworkError
from geo.i18n import _

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.network.graph import RoadGraph

__all__ = ["SnapResult", "snap_points"]


@dataclass(frozen=True)
class SnapResult:
    """Where each point joined the network.

    Attributes
    ----------
    node : ndarray of int64
        Node index of each point.
    distance_m : ndarray of float
        Straight-line distance from each point to its node (metres): its access leg.
    """

    node: np.ndarray
    distance_m: np.ndarray

    @classmethod
    def at_nodes(cls, nodes: Sequence[int] | np.ndarray) -> SnapResult:
        """Points that are nodes themselves (access legs of 0 m).

        Examples
        --------
        >>> SnapResult.at_nodes([4, 7]).distance_m
        array([0., 0.])
        """
        node = np.asarray(nodes, np.int64).reshape(-1)
        return cls(node=node, distance_m=np.zeros(len(node)))


def snap_points(graph: RoadGraph, lon: Sequence[float] | np.ndarray,
                lat: Sequence[float] | np.ndarray) -> SnapResult:
    """Nearest drivable node of each point (in the graph's strongly connected core).

    Parameters
    ----------
    graph : RoadGraph
    lon, lat : array-like of float
        WGS84 coordinates, same length.

    Returns
    -------
    SnapResult
        Node indices and straight-line snapping distances in metres.

    Raises
    ------
    NetworkError
        ``lon`` and ``lat`` differ in length, or a point has no coordinates.

    Examples
    --------
    >>> from geo.network import demo_graph
    >>> g = demo_graph()
    >>> i = int(g.core_nodes[0])
    >>> snap = snap_points(g, [g.lon[i]], [g.lat[i]])
    >>> int(snap.node[0]) == i, float(snap.distance_m[0]) < 1e-6
    (True, True)
    """
    lon_a = np.asarray(lon, float)
    lat_a = np.asarray(lat, float)
    if lon_a.shape != lat_a.shape:
        msg = _("lon and lat must have the same length, got {lon_shape} and "
                "{lat_shape}.").format(lon_shape=lon_a.shape, lat_shape=lat_a.shape)
        raise NetworkError(msg)
    if len(lon_a) == 0:
        return SnapResult(np.zeros(0, np.int64), np.zeros(0))
    if not (np.isfinite(lon_a).all() and np.isfinite(lat_a).all()):
        msg = _("Points to snap must all have coordinates; geocode the missing ones first.")
        raise NetworkError(msg)
    x, y = graph.to_metric(lon_a, lat_a)
    node, distance_m = graph.nearest_core_nodes(x, y)
    return SnapResult(node=node, distance_m=distance_m)
