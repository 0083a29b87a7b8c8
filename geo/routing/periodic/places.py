"""The places of a periodic plan and the travel matrix between them.

Physical places come first in a fixed order — the depots of the vehicle classes, the
reprocessors of the streams, then the producers — and are measured once over the road graph
(:func:`geo.network.travel_matrix`, fastest paths) or by the labelled straight-line stand-in.
:class:`PlaceMatrix` keeps them, so a re-plan (one producer's frequency changed) never measures
the roads again. A depot or reprocessor off the network is refused; producers off it are
reported by the caller.

Unloading *on the way* is modelled with virtual places (:func:`unload_rows`): reaching the
virtual place "unload at R1 then R2, then home" costs the drive to R1, R1 → R2 and R2 → home
(plus the unloading time at each), so a route that ends there has unloaded every stream at its
reprocessor before returning; a reload place "unload at R1 then R2" continues from R2.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np

from geo.errors import RoutingError
from geo.i18n import _, format_number
from geo.network import DEFAULT_DETOUR_FACTOR, snap_points, straight_line_matrix, travel_matrix

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.network import RoadGraph
    from geo.routing.periodic.producers import PeriodicProducer
    from geo.routing.problem import Depot

__all__ = ["Place", "PlaceMatrix", "best_unload_order", "measure_places", "unload_rows"]

PlaceKind = Literal["depot", "reprocessor", "producer", "unload"]


@dataclass(frozen=True)
class Place:
    """A row of the matrices.

    Attributes
    ----------
    kind : {"depot", "reprocessor", "producer", "unload"}
    name : str
    lon, lat : float
        WGS84 (for an ``unload`` place: where the vehicle is afterwards).
    site_id : str
    via : tuple of int
        For ``unload`` places: the physical places visited, in order.
    """

    kind: PlaceKind
    name: str
    lon: float
    lat: float
    site_id: str = ""
    via: tuple[int, ...] = ()


@dataclass(frozen=True)
class PlaceMatrix:
    """Physical places and the travel between them (integers, metres and seconds).

    Attributes
    ----------
    places : tuple of Place
        Depots, reprocessors, producers (in that order).
    distance_m, duration_s : ndarray of int64
        Travel between places; ``-1`` where no road path exists.
    snap_m : ndarray of float
        Distance of each place from the road it was placed on (0 for the stand-in).
    nodes : ndarray of int64 or None
        Graph node of each place (None for the stand-in).
    method : str
        ``road`` or ``straight-line``.
    """

    places: tuple[Place, ...]
    distance_m: np.ndarray
    duration_s: np.ndarray
    snap_m: np.ndarray
    nodes: np.ndarray | None
    method: str
    index: dict[tuple[str, str, float, float], int] = field(default_factory=dict)

    def place_of(self, kind: PlaceKind, name: str, lon: float, lat: float) -> int:
        """Row of a depot, reprocessor or producer."""
        return self.index[(kind, name, round(lon, 7), round(lat, 7))]

    def reachable(self, i: int, j: int) -> bool:
        """Whether roads lead from place ``i`` to place ``j``."""
        return bool(self.distance_m[i, j] >= 0)


def _key(kind: str, name: str, lon: float, lat: float) -> tuple[str, str, float, float]:
    return (kind, name, round(lon, 7), round(lat, 7))


def measure_places(
    depots: Sequence[Depot],
    reprocessors: Sequence[Depot],
    producers: Sequence[PeriodicProducer],
    *,
    graph: RoadGraph | None,
    max_snap_m: float,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
) -> PlaceMatrix:
    """Measure the fastest road paths between every depot, reprocessor and producer.

    Raises
    ------
    RoutingError
        A depot or reprocessor further than ``max_snap_m`` from the drivable network.
    """
    places: list[Place] = []
    index: dict[tuple[str, str, float, float], int] = {}
    for kind, items in (("depot", depots), ("reprocessor", reprocessors)):
        for d in items:
            key = _key(kind, d.name, d.lon, d.lat)
            if key not in index:
                index[key] = len(places)
                places.append(Place(kind, d.name, d.lon, d.lat, d.site_id))  # type: ignore[arg-type]
    for p in producers:
        key = _key("producer", p.stop_id, p.lon, p.lat)
        index.setdefault(key, len(places))
        if index[key] == len(places):
            places.append(Place("producer", p.name, p.lon, p.lat, p.site_id))
    lon = np.array([p.lon for p in places])
    lat = np.array([p.lat for p in places])
    if graph is None:
        pts = np.column_stack([lon, lat])
        tm = straight_line_matrix(pts, pts, detour_factor=detour_factor)
        snap = np.zeros(len(places))
        nodes = None
    else:
        snapped = snap_points(graph, lon, lat)
        tm = travel_matrix(graph, snapped, snapped, optimise="fastest")
        snap, nodes = snapped.distance_m, snapped.node
    assert tm.time_s is not None
    dist, dur = np.array(tm.distance_m, float), np.array(tm.time_s, float)
    np.fill_diagonal(dist, 0.0)
    np.fill_diagonal(dur, 0.0)
    for i, pl in enumerate(places):
        if pl.kind != "producer" and snap[i] > max_snap_m:
            if pl.kind == "depot":
                msg = _("The depot {name} is {km} km from the nearest drivable road of the "
                        "network (limit {limit_km} km): pick a depot inside the area of the road "
                        "network, or load a network that covers it.")
            else:
                msg = _("The reprocessor {name} is {km} km from the nearest drivable road of the "
                        "network (limit {limit_km} km): pick a reprocessor inside the area of the "
                        "road network, or load a network that covers it.")
            raise RoutingError(msg.format(name=repr(pl.name),
                                          km=format_number(snap[i] / 1000, digits=1),
                                          limit_km=format_number(max_snap_m / 1000, digits=1)))
    bad = ~(np.isfinite(dist) & np.isfinite(dur))
    return PlaceMatrix(places=tuple(places),
                       distance_m=np.where(bad, -1, np.rint(np.where(bad, 0, dist))).astype(
                           np.int64),
                       duration_s=np.where(bad, -1, np.rint(np.where(bad, 0, dur))).astype(
                           np.int64),
                       snap_m=np.asarray(snap, float), nodes=nodes, method=tm.method,
                       index=index)


def _chain(m: np.ndarray, seq: Sequence[int]) -> int:
    return int(sum(m[a, b] for a, b in itertools.pairwise(seq)))


def best_unload_order(dist: np.ndarray, reprocessors: Sequence[int], home: int,
                      sources: Sequence[int]) -> tuple[int, ...]:
    """The order of visiting ``reprocessors`` that is shortest from the typical last stop.

    Tries every order (there are a few reprocessors per class); the cost of an order is the
    mean distance from ``sources`` to its first reprocessor plus the chain to ``home``.
    """
    best: tuple[float, tuple[int, ...]] = (np.inf, tuple(reprocessors))
    for order in itertools.permutations(reprocessors):
        approach = float(np.mean([dist[s, order[0]] for s in sources])) if sources else 0.0
        cost = approach + _chain(dist, [*order, home])
        if cost < best[0]:
            best = (cost, tuple(order))
    return best[1]


def unload_rows(dist: np.ndarray, dur: np.ndarray, order: Sequence[int], *, then: int | None,
                unload_s: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows and columns of a virtual place: visit ``order`` (unloading), then ``then``.

    Returns ``(to_d, to_t, from_d, from_t)``: travel from every physical place into the
    virtual place (the drive to the first reprocessor, the chain, and to ``then`` when given,
    with ``unload_s`` per reprocessor), and out of it (from ``then``, or from the last
    reprocessor when the vehicle continues from there).
    """
    first, last = order[0], order[-1]
    tail = [*order, then] if then is not None else list(order)
    chain_d, chain_t = _chain(dist, tail), _chain(dur, tail) + unload_s * len(order)
    to_d = dist[:, first] + chain_d
    to_t = dur[:, first] + chain_t
    out = then if then is not None else last
    return to_d, to_t, dist[out, :].copy(), dur[out, :].copy()
