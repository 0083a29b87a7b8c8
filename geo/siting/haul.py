"""Haul distances from supply points to candidate sites, in a compact shared-row form.

Every candidate and supply point is snapped to the drivable graph (:mod:`geo.network`); supply
points on the same node with about the same access leg are merged into one *supply group*
(their access leg rounded **up** to ``access_resolution_m``, 25 m by default, so a reach test
never claims a supplier that is out of reach; transport figures stay exact through
:meth:`HaulMatrix.rounding_tm`). Candidates sharing a node share a row; their own access leg is
an offset. One call of :func:`geo.network.travel_matrix` (shortest road lengths, searched
from the side with fewer nodes, usually backward from the candidates) gives every group's
road distance to every row, and with ``with_time`` the fastest driving time. So
10,000 candidate cells against 100,000 supplier records on a regional network stay a matrix of
a few thousand rows by a few thousand groups.

Without a network the straight-line distance × detour factor stands in
(``method="straight-line"``, :func:`geo.network.straight_line_matrix`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import numpy as np

from geo.errors import SitingError
from geo.i18n import _, format_number
from geo.network import (
    DEFAULT_DETOUR_FACTOR,
    RoadGraph,
    SnapResult,
    access_time_s,
    snap_points,
    straight_line_matrix,
    travel_matrix,
)

__all__ = ["MAX_DENSE_CELLS", "HaulMatrix", "haul_matrix"]

logger = logging.getLogger(__name__)

MAX_DENSE_CELLS = 60_000_000
"""Largest candidate × supply matrix built densely (cells)."""


@dataclass(frozen=True)
class HaulMatrix:
    """Haul from supply groups (columns) to candidates (through shared rows).

    The distance from group ``g`` to candidate ``c`` is ``distance_m[row_of[c], g] +
    offset_m[c]`` (and likewise for time); ``inf`` where no route.

    Attributes
    ----------
    distance_m : ndarray, shape (n_rows, n_groups)
        Shortest road metres from each group (its access leg rounded up included) to each
        row's node.
    time_s : ndarray or None
        Seconds likewise, when asked for (``with_time=True``).
    row_of : ndarray of int, shape (n_candidates,)
    offset_m, offset_s : ndarray, shape (n_candidates,)
        The candidate's own access leg (``inf``: off the network).
    group_of : ndarray of int, shape (n_supply,)
        Supply point → group.
    group_access_m : ndarray, shape (n_groups,)
        The access leg counted for each group (the members' legs rounded up).
    method : {"road", "straight-line"}
    detour_factor : float
        The factor of a straight-line stand-in (1.0 for roads).
    candidate_access_m : ndarray, shape (n_candidates,)
        Straight-line distance from each candidate to the network (0 for straight-line).
    supply_access_m : ndarray, shape (n_supply,)
    """

    distance_m: np.ndarray
    time_s: np.ndarray | None
    row_of: np.ndarray
    offset_m: np.ndarray
    offset_s: np.ndarray
    group_of: np.ndarray
    group_access_m: np.ndarray
    method: Literal["road", "straight-line"]
    detour_factor: float
    candidate_access_m: np.ndarray
    supply_access_m: np.ndarray

    @property
    def n_candidates(self) -> int:
        """Number of candidates."""
        return len(self.row_of)

    @property
    def n_groups(self) -> int:
        """Number of supply groups."""
        return int(self.distance_m.shape[1])

    def group_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum per-supply-point values (shape (n_supply, …)) into groups."""
        values = np.asarray(values, float)
        out = np.zeros((self.n_groups, *values.shape[1:]))
        np.add.at(out, self.group_of, values)
        return out

    def rounding_tm(self, tonnes: np.ndarray) -> np.ndarray:
        """Per group, the tonne-metres the rounded-up access legs add (≤ 0 to correct them).

        Adding it to the tonne-metres of every group within reach makes transport figures
        exact for each supply point's own access leg.
        """
        t = np.asarray(tonnes, float)
        return self.group_sum(t * (self.supply_access_m - self.group_access_m[self.group_of]))

    def dense_distance_m(self) -> np.ndarray:
        """The full (n_groups × n_candidates) distance matrix (for small problems)."""
        if self.n_groups * self.n_candidates > MAX_DENSE_CELLS:
            msg = _("A {rows} × {columns} matrix is too large to build; pre-select fewer "
                    "candidates (e.g. the top-ranked ones).").format(
                rows=format_number(self.n_groups), columns=format_number(self.n_candidates))
            raise SitingError(msg)
        return np.asarray((self.distance_m[self.row_of] + self.offset_m[:, None]).T)


def _check_lonlat(arr: np.ndarray, what: str) -> np.ndarray:
    a = np.asarray(arr, float).reshape(-1, 2)
    if not np.isfinite(a).all():
        msg = (_("Every candidate site needs coordinates; locate the missing ones first.")
               if what == "candidate site" else
               _("Every supply point needs coordinates; locate the missing ones first."))
        raise SitingError(msg)
    return a


def haul_matrix(graph: RoadGraph | None, candidates_lonlat: np.ndarray,
                supply_lonlat: np.ndarray, *, detour_factor: float = DEFAULT_DETOUR_FACTOR,
                access_resolution_m: float = 25.0, max_access_m: float = 2000.0,
                limit_m: float | None = None, with_time: bool = False) -> HaulMatrix:
    """Road (or straight-line) haul from supply points to candidate sites.

    Parameters
    ----------
    graph : RoadGraph or None
        The region's drivable network; None for the straight-line × ``detour_factor``
        stand-in.
    candidates_lonlat, supply_lonlat : ndarray, shape (n, 2)
        WGS84 coordinates.
    detour_factor : float
        For the straight-line stand-in only.
    access_resolution_m : float
        Supply points on one node whose access legs round up to the same multiple of this
        share a group (metres; > 0). Larger values make fewer groups (faster) at the cost of
        a reach test up to this much too strict; transport figures stay exact
        (:meth:`HaulMatrix.rounding_tm`).
    max_access_m : float
        Points further than this from the network are off it: their haul is ``inf``.
    limit_m : float, optional
        Stop each shortest-path search at this distance (m): hauls beyond it are ``inf``.
        Speeds up large networks when only the catchment matters.
    with_time : bool
        Also compute driving times (a second search, for the fastest paths; at
        :data:`geo.network.ACCESS_SPEED_KMH` on access legs).

    Examples
    --------
    >>> from geo.network import demo_graph
    >>> sites = np.array([[26.94, 60.525], [26.945, 60.525]])
    >>> supply = np.array([[26.93, 60.52], [26.95, 60.53], [26.9301, 60.52]])
    >>> h = haul_matrix(demo_graph(), sites, supply)
    >>> h.method, h.n_groups, h.group_of.tolist()  # suppliers 0 and 2 share a node and leg
    ('road', 2, [1, 0, 1])
    >>> h.group_access_m.tolist()  # their 558 m and 552 m access legs, rounded up
    [75.0, 575.0]
    >>> h.dense_distance_m().shape  # groups × candidates, metres
    (2, 2)
    """
    cand = _check_lonlat(candidates_lonlat, "candidate site")
    sup = _check_lonlat(supply_lonlat, "supply point")
    nc, ns = len(cand), len(sup)
    if access_resolution_m <= 0:
        msg = f"access_resolution_m must be > 0 metres, got {access_resolution_m!r}."
        raise SitingError(msg)
    if graph is None:
        if nc * ns > MAX_DENSE_CELLS:
            msg = _("{candidates} candidates × {points} supply points is too many for the "
                    "straight-line matrix; use the 1 km screening grid (geo.siting.screening) "
                    "at this scale.").format(candidates=format_number(nc),
                                             points=format_number(ns))
            raise SitingError(msg)
        tm = straight_line_matrix(sup, cand, detour_factor=detour_factor)
        return HaulMatrix(distance_m=tm.distance_m.T.copy(),
                          time_s=(tm.time_s.T.copy() if with_time and tm.time_s is not None
                                  else None),
                          row_of=np.arange(nc), offset_m=np.zeros(nc), offset_s=np.zeros(nc),
                          group_of=np.arange(ns), group_access_m=np.zeros(ns),
                          method="straight-line", detour_factor=detour_factor,
                          candidate_access_m=np.zeros(nc), supply_access_m=np.zeros(ns))
    c_node, c_acc = np.zeros(0, np.int64), np.zeros(0)
    s_node, s_acc = np.zeros(0, np.int64), np.zeros(0)
    if nc:
        sc = snap_points(graph, cand[:, 0], cand[:, 1])
        c_node, c_acc = sc.node, sc.distance_m
    if ns:
        ss = snap_points(graph, sup[:, 0], sup[:, 1])
        s_node, s_acc = ss.node, ss.distance_m
    # Supply groups: (node, access rounded up).
    s_bucket = np.ceil(s_acc / access_resolution_m).astype(np.int64)
    width = int(s_bucket.max(initial=0)) + 1
    uniq, group_of = np.unique(s_node * width + s_bucket, return_inverse=True)
    g_node = uniq // width
    g_acc = (uniq % width) * access_resolution_m
    # Rows: distinct candidate nodes. Distances from each group (its access leg included;
    # off the network beyond max_access_m) to each row's node.
    rows, row_of = np.unique(c_node, return_inverse=True)
    tm = travel_matrix(graph, SnapResult(node=g_node, distance_m=g_acc), rows,
                       optimise="shortest", with_time=with_time, limit_m=limit_m,
                       max_snap_m=max_access_m)
    dist = np.ascontiguousarray(tm.distance_m.T)  # C order (rows), no copy when searched
    time = None if tm.time_s is None else np.ascontiguousarray(tm.time_s.T)  # backward
    offset_m = np.where(c_acc > max_access_m, np.inf, c_acc)
    logger.debug("Haul matrix: %d candidates on %d nodes, %d supply points in %d groups",
                 nc, len(rows), ns, len(uniq))
    return HaulMatrix(distance_m=dist, time_s=time, row_of=row_of, offset_m=offset_m,
                      offset_s=access_time_s(offset_m), group_of=group_of,
                      group_access_m=g_acc, method="road", detour_factor=1.0,
                      candidate_access_m=c_acc, supply_access_m=s_acc)
