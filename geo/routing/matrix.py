"""Integer travel matrices over the road graph: one Dijkstra call, metres and seconds together.

Two ideas make this fast and consistent:

1. **Lexicographic weights.** Each directed edge gets one float64 weight
   ``W = round(100 · time_s) · 2**25 + round(10 · length_m)``: integers below 2**53, so sums
   along a path are exact. Minimising ``W`` finds the fastest path (ties broken by the shorter
   one), and the result decodes into that path's time (0.01 s resolution) and length
   (0.1 m), so distance and time in the matrix belong to the *same* path, from one call of
   ``scipy.sparse.csgraph.dijkstra``. Valid for paths under 3,355 km and 31 days.
2. **Pass-through contraction.** Most nodes of an OpenStreetMap graph only shape a road (a
   one-way node with one way in and one way out, or a two-way node between exactly two
   neighbours). They are removed and their chains replaced by one edge of the summed weight,
   except nodes where a stop is snapped; shortest paths between the kept nodes are unchanged
   and Dijkstra has ~5× fewer nodes to settle on real extracts.

Points are snapped with :func:`geo.network.snap_points` (to the strongly connected core, so
every stop can reach every other one); the straight walk from point to road is added at
30 km/h to both ends, as :func:`geo.network.travel_matrix_for_points` does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.network import snap_points

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.network import RoadGraph

__all__ = [
    "ACCESS_SPEED_KMH",
    "RoadMatrices",
    "contract_pass_through",
    "encoded_adjacency",
    "leg_paths",
    "road_matrices",
]

logger = logging.getLogger(__name__)

_TIME_RES: Final = 100.0  # units per second
_LEN_RES: Final = 10.0  # units per metre
_SHIFT: Final = float(2**25)
ACCESS_SPEED_KMH: Final = 30.0
"""Speed of the straight walk between a point and the road it is snapped to."""


@dataclass(frozen=True)
class RoadMatrices:
    """Travel between points along the road network (row → column).

    Attributes
    ----------
    distance_m, duration_s : ndarray of float, shape (n, n)
        Length and time of the fastest road path plus the access walks; ``inf`` where no
        path exists.
    node : ndarray of int64, shape (n,)
        Graph node each point is snapped to.
    snap_m : ndarray of float, shape (n,)
        Straight-line distance from each point to its node (metres).
    """

    distance_m: np.ndarray
    duration_s: np.ndarray
    node: np.ndarray
    snap_m: np.ndarray


def encoded_adjacency(graph: RoadGraph) -> csr_matrix:
    """The graph's directed adjacency with lexicographic (time, length) weights.

    For parallel edges the fastest is kept, with its own length.
    """
    e = graph.edges[["u", "v", "time_s", "length_m"]]
    best = e.sort_values(["time_s", "length_m"]).drop_duplicates(["u", "v"])
    t = np.maximum(np.rint(best["time_s"].to_numpy(float) * _TIME_RES), 1.0)
    ln = np.maximum(np.rint(best["length_m"].to_numpy(float) * _LEN_RES), 1.0)
    w = t * _SHIFT + ln
    n = graph.n_nodes
    adj = csr_matrix((w, (best["u"].to_numpy(), best["v"].to_numpy())), shape=(n, n))
    adj.sort_indices()
    return adj


def _decode(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split summed weights into (length m, time s); ``inf`` stays ``inf``."""
    finite = np.isfinite(w)
    safe = np.where(finite, w, 0.0)
    t_units = np.floor(safe / _SHIFT)
    l_units = safe - t_units * _SHIFT
    length = np.where(finite, l_units / _LEN_RES, np.inf)
    time = np.where(finite, t_units / _TIME_RES, np.inf)
    return length, time


def contract_pass_through(adj: csr_matrix, keep: np.ndarray) -> tuple[csr_matrix, np.ndarray]:
    """Remove nodes that only shape a road, joining their chains into single edges.

    A node is removed when it is not in ``keep`` and either has one in-neighbour and one
    different out-neighbour (one-way), or has the same two neighbours in and out (two-way).
    Shortest-path costs between the remaining nodes are unchanged.

    Parameters
    ----------
    adj : csr_matrix
        Directed adjacency (no self-loops, no explicit zeros), indices sorted.
    keep : ndarray of int
        Nodes that must stay (e.g. where stops are snapped).

    Returns
    -------
    contracted : csr_matrix
        Adjacency over the kept nodes only (minimum weight of parallel chains).
    kept : ndarray of int64
        Original node index of each row/column of ``contracted``.
    """
    n = adj.shape[0]
    if adj.nnz == 0:
        kept_all = np.arange(n, dtype=np.int64)
        return adj.copy(), kept_all
    csc = adj.tocsc()
    csc.sort_indices()
    outdeg = np.diff(adj.indptr)
    indeg = np.diff(csc.indptr)
    first_out = adj.indices[np.minimum(adj.indptr[:-1], max(adj.nnz - 1, 0))]
    second_out = adj.indices[np.minimum(adj.indptr[:-1] + 1, max(adj.nnz - 1, 0))]
    first_in = csc.indices[np.minimum(csc.indptr[:-1], max(csc.nnz - 1, 0))]
    second_in = csc.indices[np.minimum(csc.indptr[:-1] + 1, max(csc.nnz - 1, 0))]
    one_way = (indeg == 1) & (outdeg == 1) & (first_in != first_out)
    two_way = ((indeg == 2) & (outdeg == 2) & (first_in == first_out)
               & (second_in == second_out))
    through = one_way | two_way
    through[np.asarray(keep, np.int64)] = False
    kept = np.flatnonzero(~through).astype(np.int64)
    w_first = adj.data[np.minimum(adj.indptr[:-1], max(adj.nnz - 1, 0))]
    w_second = adj.data[np.minimum(adj.indptr[:-1] + 1, max(adj.nnz - 1, 0))]

    # Walk every chain that leaves a kept node, all walks at once.
    rows = np.repeat(np.arange(n), outdeg)
    start_mask = ~through[rows]
    src = rows[start_mask]
    prev = src.copy()
    cur = adj.indices[start_mask].astype(np.int64)
    acc = adj.data[start_mask].astype(float)
    done_src, done_dst, done_w = [], [], []
    for _ in range(n + 1):
        active = through[cur]
        if not active.all():
            fin = ~active
            done_src.append(src[fin])
            done_dst.append(cur[fin])
            done_w.append(acc[fin])
            src, prev, cur, acc = src[active], prev[active], cur[active], acc[active]
        if len(cur) == 0:
            break
        go_second = two_way[cur] & (prev == first_out[cur])
        nxt = np.where(go_second, second_out[cur], first_out[cur])
        acc = acc + np.where(go_second, w_second[cur], w_first[cur])
        prev, cur = cur, nxt
    if len(cur):
        logger.warning("Dropped %d chain walks that never reached a kept node", len(cur))
    s = np.concatenate(done_src) if done_src else np.zeros(0, np.int64)
    d = np.concatenate(done_dst) if done_dst else np.zeros(0, np.int64)
    w = np.concatenate(done_w) if done_w else np.zeros(0)
    loop = s == d
    s, d, w = s[~loop], d[~loop], w[~loop]
    position = np.full(n, -1, np.int64)
    position[kept] = np.arange(len(kept))
    order = np.lexsort((w, d, s))
    s, d, w = s[order], d[order], w[order]
    first = np.ones(len(s), bool)
    first[1:] = (s[1:] != s[:-1]) | (d[1:] != d[:-1])
    m = len(kept)
    contracted = coo_matrix((w[first], (position[s[first]], position[d[first]])),
                            shape=(m, m)).tocsr()
    return contracted, kept


def road_matrices(graph: RoadGraph, lon: Sequence[float] | np.ndarray,
                  lat: Sequence[float] | np.ndarray, *, contract: bool = True) -> RoadMatrices:
    """Fastest-path distance and time between all pairs of points, in one Dijkstra call.

    Parameters
    ----------
    graph : RoadGraph
        Directed drivable network.
    lon, lat : array-like of float
        WGS84 coordinates of the points (depot first, by convention of the callers).
    contract : bool
        Contract pass-through nodes first (same result, faster on OSM graphs).

    Returns
    -------
    RoadMatrices
        Metres and seconds (float, ``inf`` if unreachable), snapped nodes, snap distances.

    Examples
    --------
    >>> from geo.network import demo_graph
    >>> g = demo_graph()
    >>> m = road_matrices(g, [26.93, 26.95], [60.52, 60.53])
    >>> bool(m.distance_m[0, 1] > 1000 and m.duration_s[0, 0] >= 0)
    True
    """
    snap = snap_points(graph, lon, lat)
    adj = encoded_adjacency(graph)
    nodes = snap.node
    if contract:
        adj, kept = contract_pass_through(adj, nodes)
        position = np.full(graph.n_nodes, -1, np.int64)
        position[kept] = np.arange(len(kept))
        idx = position[nodes]
    else:
        idx = nodes
    uniq, inv = np.unique(idx, return_inverse=True)
    w = dijkstra(adj, directed=True, indices=uniq)[inv][:, idx] if len(uniq) else np.zeros((0, 0))
    length, time = _decode(np.asarray(w, float))
    access = snap.distance_m[:, None] + snap.distance_m[None, :]
    length = length + access
    time = time + access / (ACCESS_SPEED_KMH / 3.6)
    np.fill_diagonal(length, 0.0)
    np.fill_diagonal(time, 0.0)
    logger.info("Road matrix for %d points on %d nodes (%d after contraction)",
                len(idx), graph.n_nodes, adj.shape[0])
    return RoadMatrices(distance_m=length, duration_s=time, node=nodes.astype(np.int64),
                        snap_m=snap.distance_m)


def leg_paths(graph: RoadGraph, legs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Node paths of the fastest route of each (from node, to node) leg, one Dijkstra call.

    Uses the same lexicographic weights as :func:`road_matrices`, so the drawn route is the
    one the matrix measured. A leg with no path returns ``[from, to]``.
    """
    if not legs:
        return []
    adj = encoded_adjacency(graph)
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
