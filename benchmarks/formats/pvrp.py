"""Cordeau's periodic VRP instances (type 1) and their ``.res`` solutions; an independent checker.

**Instance** (``p01.txt``…, ``pr10.txt``; see ``../shared/bench/pvrp/SOURCE.md``): a line
``type m n t``; ``t`` lines ``D Q`` (route duration limit, 0 for none, and vehicle capacity per
day); then one line per node ``i x y d q f a list…`` (node 0 the depot): service duration,
demand per visit, visits in the horizon, and ``a`` allowed day combinations as integers.

**Bit order of a combination.** The files cannot say whether bit 0 is day 1 or day ``t``; we
read the ``t``-digit binary from the left: the most significant digit is day 1 (so for
``t = 2``, ``2 = 0b10`` is day 1). Evidence: p01's dummy customer 51 (at the depot, demand 160
= one full vehicle, combination 2) fits p01's best-known solution only on day 1 — day 1 uses
two of its three vehicles, day 2 all three. Every other verified solution fits both orders.

**Costs** are Euclidean distances in double precision, never rounded; service time counts in
the route duration (checked against ``D``) but not in the cost. The solver works on integers:
distances are scaled by :data:`SCALE` and rounded (for the objective), durations scaled and
rounded *up* (so a plan that keeps the integer limit keeps the real one); every reported cost
is re-computed from the coordinates by :func:`recost`.

**Solutions** (``.res``): the first line is the total cost; then one line per route
``day vehicle duration load 0 c1 c2 … 0`` (day and vehicle from 1). The distributed files of
p23 and pr01–pr10 put the route duration (distance + service) in the third field and the
others the distance, which are equal where service is zero; :func:`write_res` always writes the
duration. :func:`read_res` ignores that field: :func:`recost` and :func:`check` recompute
everything from the instance.

The checker (:func:`check`) uses only the instance file's data — not the planner's instance,
encoding or solution — so it verifies the planner independently.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.routing.periodic.instance import PeriodicInstance

__all__ = ["SCALE", "PvrpData", "PvrpRoute", "check", "combination_days", "distance_matrix",
           "read_pvrp", "read_res", "recost", "to_instance", "write_res"]

SCALE: Final = 1000
"""Integer units per unit of the instance's distance, time and demand, for the solver."""

_TOL: Final = 1e-6


@dataclass(frozen=True)
class PvrpData:
    """One instance as written in the file.

    Attributes
    ----------
    name : str
    vehicles : int
        Vehicles available on each day (``m``).
    n_days : int
    max_duration : tuple of float
        Route duration limit per day (0: none).
    capacity : tuple of float
        Vehicle capacity per day.
    xy : ndarray, shape (n + 1, 2)
        Coordinates, depot first.
    service, demand : ndarray, shape (n + 1,)
        Service duration and demand per visit (0 at the depot).
    frequency : ndarray of int, shape (n + 1,)
        Visits in the horizon.
    patterns : tuple of tuple of tuple of int
        Per node, the allowed combinations as sorted 0-based days (empty for the depot).
    """

    name: str
    vehicles: int
    n_days: int
    max_duration: tuple[float, ...]
    capacity: tuple[float, ...]
    xy: np.ndarray
    service: np.ndarray
    demand: np.ndarray
    frequency: np.ndarray
    patterns: tuple[tuple[tuple[int, ...], ...], ...]

    @property
    def n_customers(self) -> int:
        """Customers (nodes 1…n)."""
        return len(self.xy) - 1


@dataclass(frozen=True)
class PvrpRoute:
    """One route: 0-based day, vehicle number from 1, customers in driving order."""

    day: int
    vehicle: int
    customers: tuple[int, ...]


def combination_days(combination: int, n_days: int) -> tuple[int, ...]:
    """0-based days of a combination; the leftmost of ``n_days`` binary digits is day 0.

    Examples
    --------
    >>> combination_days(2, 2), combination_days(5, 4), combination_days(21, 6)
    ((0,), (1, 3), (1, 3, 5))
    """
    return tuple(d for d in range(n_days) if (combination >> (n_days - 1 - d)) & 1)


def read_pvrp(path: str | Path) -> PvrpData:
    """Read a Cordeau type-1 (periodic VRP) instance file.

    Raises
    ------
    ValueError
        A file that is not of type 1, or whose combinations do not match the frequencies.
    """
    path = Path(path)
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    kind, m, n, t = (int(v) for v in rows[0])
    if kind != 1:
        msg = f"{path.name}: type {kind} is not a periodic VRP (type 1)."
        raise ValueError(msg)
    limits = [(float(a), float(b)) for a, b in rows[1:1 + t]]
    nodes = rows[1 + t:2 + t + n]
    xy = np.array([[float(r[1]), float(r[2])] for r in nodes])
    service = np.array([float(r[3]) for r in nodes])
    demand = np.array([float(r[4]) for r in nodes])
    freq = np.array([int(r[5]) for r in nodes])
    patterns: list[tuple[tuple[int, ...], ...]] = [()]
    for r in nodes[1:]:
        a = int(r[6])
        combos = tuple(combination_days(int(c), t) for c in r[7:7 + a])
        if any(len(c) != int(r[5]) for c in combos):
            msg = f"{path.name}: customer {r[0]} has combinations of the wrong size."
            raise ValueError(msg)
        patterns.append(combos)
    return PvrpData(name=path.stem, vehicles=m, n_days=t,
                    max_duration=tuple(a for a, _ in limits),
                    capacity=tuple(b for _, b in limits), xy=xy, service=service,
                    demand=demand, frequency=freq, patterns=tuple(patterns))


def distance_matrix(data: PvrpData) -> np.ndarray:
    """Euclidean distances between all nodes, double precision."""
    diff = data.xy[:, None, :] - data.xy[None, :, :]
    return np.asarray(np.sqrt((diff**2).sum(-1)))


def to_instance(data: PvrpData, *, scale: int = SCALE) -> PeriodicInstance:
    """The instance as the planner's :class:`~geo.routing.periodic.instance.PeriodicInstance`.

    One vehicle class per day (capacities and limits may differ by day), distances rounded
    and durations rounded up after scaling by ``scale``; service in the duration only.
    """
    from geo.routing.periodic.instance import INF_TIME, PeriodicInstance, StopSpec, VehicleSpec

    real = distance_matrix(data)
    dist = np.rint(real * scale).astype(np.int64)
    dur = np.ceil(real * scale - 1e-9).astype(np.int64)
    svc = np.rint(data.service * scale).astype(np.int64)
    dem = np.rint(data.demand * scale).astype(np.int64)
    longest = int(dur.max()) * (data.n_customers + 1) + int(svc.sum()) + 1
    day_length = max(int(max(data.max_duration) * scale) + 1, min(longest, INF_TIME))
    vehicles = tuple(
        VehicleSpec(name=f"vehicle (day {d + 1})", count=data.vehicles,
                    capacity=(round(data.capacity[d] * scale),), start=0, end=0,
                    shift_start=0, shift_end=day_length,
                    max_duration=round(data.max_duration[d] * scale)
                    if data.max_duration[d] > 0 else None,
                    unit_distance_cost=1, days=(d,))
        for d in range(data.n_days))
    stops = tuple(
        StopSpec(name=f"customer {i}", place=i, patterns=data.patterns[i],
                 pickups=tuple(tuple((int(dem[i]),) for _ in p) for p in data.patterns[i]),
                 service=int(svc[i]))
        for i in range(1, data.n_customers + 1))
    return PeriodicInstance(n_days=data.n_days, day_length=day_length, distance=dist,
                            duration=dur, vehicles=vehicles, stops=stops, n_dims=1,
                            day_labels=tuple(f"day {d + 1}" for d in range(data.n_days)),
                            place_names=("depot", *(f"customer {i}" for i in
                                                    range(1, data.n_customers + 1))),
                            place_xy=data.xy)


def _route_figures(data: PvrpData, dist: np.ndarray,
                   route: PvrpRoute) -> tuple[float, float, float]:
    """Distance, duration (distance + service) and load of one route."""
    seq = [0, *route.customers, 0]
    d = float(sum(dist[a, b] for a, b in itertools.pairwise(seq)))
    svc = float(sum(data.service[c] for c in route.customers))
    load = float(sum(data.demand[c] for c in route.customers))
    return d, d + svc, load


def recost(data: PvrpData, routes: Sequence[PvrpRoute]) -> float:
    """Total Euclidean length of the routes, from the coordinates (never rounded)."""
    dist = distance_matrix(data)
    return sum(_route_figures(data, dist, r)[0] for r in routes)


def check(data: PvrpData, routes: Sequence[PvrpRoute]) -> list[str]:
    """Every violated rule of a plan, in words; empty when the plan is feasible.

    Checked from the instance data only: customers exist and are visited exactly their
    frequency, on distinct days forming an allowed combination; each route's load within
    the day's capacity and its duration (distance + service) within the day's limit; at
    most ``m`` routes per day; days within the horizon.
    """
    problems: list[str] = []
    dist = distance_matrix(data)
    n = data.n_customers
    visits: dict[int, list[int]] = {}
    per_day: dict[int, int] = {}
    for r in routes:
        if not 0 <= r.day < data.n_days:
            problems.append(f"route on day {r.day + 1}, outside the {data.n_days}-day horizon")
            continue
        bad = [c for c in r.customers if not 1 <= c <= n]
        if bad:
            problems.append(f"day {r.day + 1} vehicle {r.vehicle}: no customer(s) {bad}")
            continue
        per_day[r.day] = per_day.get(r.day, 0) + 1
        _, duration, load = _route_figures(data, dist, r)
        if load > data.capacity[r.day] + _TOL:
            problems.append(f"day {r.day + 1} vehicle {r.vehicle}: load {load:g} > capacity "
                            f"{data.capacity[r.day]:g}")
        limit = data.max_duration[r.day]
        if limit > 0 and duration > limit + _TOL:
            problems.append(f"day {r.day + 1} vehicle {r.vehicle}: duration {duration:.4f} > "
                            f"limit {limit:g}")
        for c in r.customers:
            visits.setdefault(c, []).append(r.day)
    for day, count in sorted(per_day.items()):
        if count > data.vehicles:
            problems.append(f"day {day + 1}: {count} routes > {data.vehicles} vehicles")
    for c in range(1, n + 1):
        days = sorted(visits.get(c, []))
        want = int(data.frequency[c])
        if len(days) != want:
            problems.append(f"customer {c}: visited {len(days)} time(s), frequency {want}")
        elif len(set(days)) != len(days):
            problems.append(f"customer {c}: visited twice on one day ({[d + 1 for d in days]})")
        elif tuple(days) not in data.patterns[c]:
            problems.append(f"customer {c}: days {[d + 1 for d in days]} are not an allowed "
                            "combination")
    return problems


def write_res(path: str | Path, data: PvrpData, routes: Sequence[PvrpRoute]) -> None:
    """Write a plan as a ``.res`` file (cost, then ``day vehicle duration load 0 … 0``)."""
    dist = distance_matrix(data)
    lines = [f"{recost(data, routes):.2f}"]
    for r in sorted(routes, key=lambda r: (r.day, r.vehicle)):
        _, duration, load = _route_figures(data, dist, r)
        stops = " ".join(str(c) for c in (0, *r.customers, 0))
        lines.append(f"{r.day + 1}   {r.vehicle}   {duration:.2f}   {load:g}   {stops} ")
    Path(path).write_text("\n".join(lines) + "\n")


def read_res(path: str | Path) -> tuple[float, list[PvrpRoute]]:
    """The stated cost and the routes of a ``.res`` file (the third field is not used)."""
    rows = [line.split() for line in Path(path).read_text().splitlines() if line.strip()]
    stated = float(rows[0][0]) if rows else math.nan
    routes = []
    for r in rows[1:]:
        nodes = tuple(int(v) for v in r[4:])
        routes.append(PvrpRoute(day=int(r[0]) - 1, vehicle=int(r[1]),
                                customers=tuple(c for c in nodes if c != 0)))
    return stated, routes
