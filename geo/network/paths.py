"""Paths and their shapes: the node sequence of a route and the road geometry along it.

:func:`leg_paths` finds the node path of each (from, to) leg with the same weights as
:func:`geo.network.matrix.travel_matrix` (:mod:`geo.network.weights`), so the route drawn is
the one the matrix measured; :func:`edge_shapes` gives the geometry of the edge those weights
take between two nodes, and :func:`route_geometry` joins them into one line (EPSG:4326).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import LineString

from geo.network.weights import check_optimise, search_adjacency

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from geo.network.graph import RoadGraph
    from geo.network.weights import Optimise

__all__ = ["edge_shapes", "leg_paths", "route_geometry"]

Coords = list[tuple[float, float]]


def leg_paths(graph: RoadGraph, legs: Sequence[tuple[int, int]], *,
              optimise: Optimise = "shortest") -> list[list[int]]:
    """Node paths of each (from node, to node) leg, one Dijkstra call for all legs.

    Parameters
    ----------
    graph : RoadGraph
    legs : sequence of (int, int)
        Node indices of each leg's start and end.
    optimise : {"shortest", "fastest"}
        The weights of :func:`~geo.network.matrix.travel_matrix` to follow.

    Returns
    -------
    list of list of int
        Each leg's nodes from start to end; ``[a]`` for a leg from a node to itself and
        ``[a, b]`` for a leg with no path.

    Examples
    --------
    >>> from geo.network import demo_graph
    >>> g = demo_graph()
    >>> a, b = int(g.core_nodes[0]), int(g.core_nodes[-1])
    >>> (path,) = leg_paths(g, [(a, b)], optimise="fastest")
    >>> path[0] == a and path[-1] == b and len(path) > 2
    True
    """
    if not legs:
        return []
    adj = search_adjacency(graph, optimise)
    sources = np.unique([a for a, _ in legs])
    _, pred = dijkstra(adj, directed=True, indices=sources, return_predecessors=True)
    row = {int(s): i for i, s in enumerate(sources)}
    out: list[list[int]] = []
    for a, b in legs:
        p = pred[row[int(a)]]
        if a == b:
            out.append([int(a)])
            continue
        if p[b] < 0:
            out.append([int(a), int(b)])
            continue
        path = [int(b)]
        while path[-1] != a:
            path.append(int(p[path[-1]]))
        out.append(path[::-1])
    return out


def edge_shapes(graph: RoadGraph, pairs: Iterable[tuple[int, int]], *,
                optimise: Optimise = "shortest") -> dict[tuple[int, int], Coords]:
    """WGS84 coordinates of the edge u→v that ``optimise`` paths take, for each pair.

    Among parallel edges that is the shortest (``"shortest"``) or the fastest, then shortest
    (``"fastest"``), as in :mod:`geo.network.weights`. A pair with no edge gets the straight
    segment between its nodes.
    """
    check_optimise(optimise)
    wanted_pairs = sorted({(int(u), int(v)) for u, v in pairs})
    if not wanted_pairs:
        return {}
    e = graph.edges
    wanted = pd.MultiIndex.from_tuples(wanted_pairs, names=["u", "v"])
    sub = e[pd.MultiIndex.from_arrays([e["u"], e["v"]]).isin(wanted)]
    order = ["length_m"] if optimise == "shortest" else ["time_s", "length_m"]
    sub = sub.sort_values(order).drop_duplicates(["u", "v"])
    out = {(int(u), int(v)): list(g.coords)
           for u, v, g in zip(sub["u"], sub["v"], sub.geometry, strict=True)}
    for u, v in wanted_pairs:
        out.setdefault((u, v), [(float(graph.lon[u]), float(graph.lat[u])),
                                (float(graph.lon[v]), float(graph.lat[v]))])
    return out


def route_geometry(graph: RoadGraph, nodes: Sequence[int], *,
                   optimise: Optimise = "shortest") -> LineString:
    """The road geometry (EPSG:4326) along consecutive node indices, following edge shapes.

    Parameters
    ----------
    graph : RoadGraph
    nodes : sequence of int
        A path, e.g. from :func:`leg_paths` with the same ``optimise``.
    optimise : {"shortest", "fastest"}
        Which of parallel edges to draw (see :func:`edge_shapes`).
    """
    if len(nodes) < 2:
        i = int(nodes[0]) if len(nodes) else 0
        return LineString([(graph.lon[i], graph.lat[i])] * 2)
    steps = [(int(a), int(b)) for a, b in itertools.pairwise(nodes)]
    shapes = edge_shapes(graph, steps, optimise=optimise)
    coords: Coords = []
    for step in steps:
        seg = shapes[step]
        coords.extend(seg if not coords else seg[1:])
    return LineString(coords)
