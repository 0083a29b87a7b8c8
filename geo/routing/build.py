"""Stops + depot + fleet + road graph → a :class:`~geo.routing.problem.RoutingInstance`.

Checks run in the order a planner would fix them: no producers, oversize pickups (refused
with figures), depot off the network (refused), producers off the network or unreachable
(reported by name and left out — never given an infinite cost), and producers whose opening
hours cannot be reached within the shift (reported and left out).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

import numpy as np

from geo.errors import RoutingError
from geo.i18n import _, format_number, ngettext
from geo.network import DEFAULT_DETOUR_FACTOR, snap_points, straight_line_matrix, travel_matrix
from geo.routing.explain import check_pickups, servable_days
from geo.routing.problem import WEEKDAYS, ExcludedStop, RoutingInstance

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.network import RoadGraph
    from geo.routing.problem import Depot, Fleet, Producer

__all__ = ["DEFAULT_MAX_SNAP_M", "build_instance", "instance_from_matrices"]

logger = logging.getLogger(__name__)

DEFAULT_MAX_SNAP_M: Final = 1000.0
"""A point further than this from the drivable network is treated as off the network (m)."""


def off_network_reason(snap_m: float, max_snap_m: float) -> str:
    """Why a stop ``snap_m`` metres from the nearest drivable road is left out."""
    return _("off the road network: {km} km from the nearest drivable road (limit {limit_km} "
             "km); check its location or load a larger network").format(
        km=format_number(snap_m / 1000, digits=1),
        limit_km=format_number(max_snap_m / 1000, digits=1))


def none_served(n: int, excluded: Sequence[ExcludedStop]) -> str:
    """The refusal when none of ``n`` producers can be served, naming the first reasons."""
    # Translators: one producer and why it is left out, in a list separated by "; ".
    listed = _("; ").join(_("{name}: {reason}").format(name=repr(e.name), reason=e.reason)
                          for e in excluded[:5])
    return ngettext("The selected producer cannot be served: {listed}.",
                    "None of the {n} selected producers can be served: {listed}.", n).format(
        n=format_number(n), listed=listed)


def _to_int(mat: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.rint(np.asarray(mat, float)).astype(np.int64)
    return out


def instance_from_matrices(
    producers: Sequence[Producer],
    depot: Depot,
    fleet: Fleet,
    *,
    days: Sequence[str],
    distance_m: np.ndarray,
    duration_s: np.ndarray,
    method: str,
    snap_m: np.ndarray | None = None,
    nodes: np.ndarray | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    excluded: Sequence[ExcludedStop] = (),
) -> RoutingInstance:
    """Validate the stops against a travel matrix and build the instance (the core).

    Parameters
    ----------
    producers, depot, fleet
        The stops, where vehicles start and unload, and the vehicles.
    days : sequence of str
        Weekdays to plan (codes of :data:`~geo.routing.problem.WEEKDAYS`).
    distance_m, duration_s : ndarray of float, shape (n + 1, n + 1)
        Travel between depot (index 0) and producers (index ``i + 1``); ``inf`` where a
        route does not exist.
    method : str
        How the matrix was made (``road``, ``straight-line`` or ``given``).
    snap_m : ndarray, optional
        Distance of each point from the network (depot first); checked against
        ``max_snap_m``.
    nodes : ndarray, optional
        Graph node of each point (kept for drawing).
    excluded : sequence of ExcludedStop
        Producers already left out upstream (kept in the report).

    Raises
    ------
    RoutingError
        No producers, an oversize pickup, the depot off the network, or no producer left.
    """
    producers = list(producers)
    if not producers:
        msg = _("No producers selected: pick a stream, parks or sites whose records have a "
                "quantity (haves), and check the minimum/maximum quantity per collection.")
        raise RoutingError(msg)
    check_pickups(producers, fleet)
    unknown = [d for d in days if d not in WEEKDAYS]
    if unknown or not days:
        msg = _("Days to plan are weekday codes ({codes}), got {days}.").format(
            codes=", ".join(WEEKDAYS), days=", ".join(map(repr, days)) or _("none"))
        raise RoutingError(msg)
    days = tuple(d for d in WEEKDAYS if d in set(days))
    dist = np.asarray(distance_m, float)
    dur = np.asarray(duration_s, float)
    snap = np.zeros(len(producers) + 1) if snap_m is None else np.asarray(snap_m, float)
    if snap[0] > max_snap_m:
        msg = _("The depot {name} is {km} km from the nearest drivable road of the network "
                "(limit {limit_km} km): pick a depot inside the area of the road network, or "
                "load a network that covers it.").format(
            name=repr(depot.name), km=format_number(snap[0] / 1000, digits=1),
            limit_km=format_number(max_snap_m / 1000, digits=1))
        raise RoutingError(msg)
    out: list[ExcludedStop] = list(excluded)
    keep: list[int] = []
    for i, p in enumerate(producers):
        loc = i + 1
        if snap[loc] > max_snap_m:
            out.append(ExcludedStop(p.stop_id, p.name, off_network_reason(snap[loc], max_snap_m),
                                    stage="network"))
        elif not (np.isfinite(dist[0, loc]) and np.isfinite(dist[loc, 0])):
            if not np.isfinite(dist[0, loc]):
                reason = _("unreachable: no road path to it from the depot (an island of the "
                           "network or a one-way trap); check its location or the road data")
            else:
                reason = _("unreachable: no road path back from it from the depot (an island of "
                           "the network or a one-way trap); check its location or the road data")
            out.append(ExcludedStop(p.stop_id, p.name, reason, stage="network"))
        else:
            keep.append(i)
    idx = np.array([0, *[i + 1 for i in keep]])
    sub_d, sub_t = dist[np.ix_(idx, idx)], dur[np.ix_(idx, idx)]
    # Pairs of kept stops that cannot reach each other directly go via the depot.
    via = sub_d[:, [0]] + sub_d[[0], :]
    sub_d = np.where(np.isfinite(sub_d), sub_d, via)
    sub_t = np.where(np.isfinite(sub_t), sub_t, sub_t[:, [0]] + sub_t[[0], :])
    kept = [producers[i] for i in keep]
    allowed, reasons = servable_days(kept, fleet, days, sub_t)
    ok = [j for j in range(len(kept)) if j not in reasons]
    out += [ExcludedStop(kept[j].stop_id, kept[j].name, reasons[j]) for j in sorted(reasons)]
    if not ok:
        raise RoutingError(none_served(len(producers), out))
    final = np.array([0, *[j + 1 for j in ok]])
    node_out = None if nodes is None else np.asarray(nodes, np.int64)[idx][final]
    return RoutingInstance(
        depot=depot,
        producers=tuple(kept[j] for j in ok),
        fleet=fleet,
        days=days,
        distance_m=_to_int(sub_d[np.ix_(final, final)]),
        duration_s=_to_int(sub_t[np.ix_(final, final)]),
        method=method,
        snap_m=snap[idx][final],
        nodes=node_out,
        excluded=tuple(out),
        allowed_days=tuple(allowed[j] for j in ok),
    )


def build_instance(
    producers: Sequence[Producer],
    depot: Depot,
    fleet: Fleet,
    *,
    days: Sequence[str] = ("mon",),
    graph: RoadGraph | None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
    excluded: Sequence[ExcludedStop] = (),
) -> RoutingInstance:
    """Travel matrices over the road graph (or the labelled straight-line stand-in) → instance.

    Parameters
    ----------
    producers : sequence of Producer
        Stops with WGS84 coordinates.
    depot : Depot
    fleet : Fleet
    days : sequence of str
        Weekdays to plan.
    graph : RoadGraph or None
        The drivable network; ``None`` uses great-circle distance × ``detour_factor`` at
        40 km/h and marks the instance ``method="straight-line"``.
    max_snap_m : float
        Points further from the network are off it (depot: refused; producer: left out).
    excluded : sequence of ExcludedStop
        Producers already left out upstream (carried into the report).

    Examples
    --------
    >>> from geo.network import demo_graph
    >>> from geo.routing.problem import Depot, Fleet, Producer
    >>> stops = [Producer("a", "A", 26.93, 60.52, 52.0), Producer("b", "B", 26.95, 60.53, 52.0)]
    >>> inst = build_instance(stops, Depot("D", 26.94, 60.525), Fleet(), graph=demo_graph())
    >>> inst.method, inst.distance_m.shape, int(inst.loads.sum())
    ('road', (3, 3), 2000)
    """
    producers = list(producers)
    if not producers:
        return instance_from_matrices(producers, depot, fleet, days=days,
                                      distance_m=np.zeros((1, 1)), duration_s=np.zeros((1, 1)),
                                      method="road")
    check_pickups(producers, fleet)
    lon = np.array([depot.lon, *[p.lon for p in producers]])
    lat = np.array([depot.lat, *[p.lat for p in producers]])
    if graph is None:
        pts = np.column_stack([lon, lat])
        tm = straight_line_matrix(pts, pts, detour_factor=detour_factor)
        assert tm.time_s is not None
        return instance_from_matrices(producers, depot, fleet, days=days,
                                      distance_m=tm.distance_m, duration_s=tm.time_s,
                                      method="straight-line", max_snap_m=max_snap_m,
                                      excluded=excluded)
    # Fastest paths, with the length of that same path; a stop to itself costs nothing.
    snap = snap_points(graph, lon, lat)
    tm = travel_matrix(graph, snap, snap, optimise="fastest")
    assert tm.time_s is not None
    distance_m, duration_s = tm.distance_m, tm.time_s
    np.fill_diagonal(distance_m, 0.0)
    np.fill_diagonal(duration_s, 0.0)
    return instance_from_matrices(producers, depot, fleet, days=days, distance_m=distance_m,
                                  duration_s=duration_s, method="road", snap_m=snap.distance_m,
                                  nodes=snap.node, max_snap_m=max_snap_m, excluded=excluded)
