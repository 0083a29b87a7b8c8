"""Independent re-checks of CVRP and Solomon VRPTW solutions, and their ``.sol`` files.

Nothing here uses PyVRP, the ``vrplib`` package or the planner: the coordinates, demands and
time windows are read from the instance file by the small readers below, and every route is
re-costed and checked with integer arithmetic, so that a figure in ``RESULTS.md`` does not rest
on the code it measures.

Conventions (``shared/bench/vrp/SOURCE.md``):

- **CVRP** (VRPLIB ``.vrp``, ``EDGE_WEIGHT_TYPE: EUC_2D``): an edge costs the Euclidean
  distance rounded to the nearest integer (TSPLIB ``nint``); every client is visited once and
  no route carries more than the capacity; the fleet is unbounded.
- **Solomon VRPTW** (``.txt``): an edge costs, and takes, the Euclidean distance truncated to
  one decimal (the DIMACS convention of the best-known distances); service starts within the
  client's window (waiting allowed), the vehicle is back at the depot by its due time, at most
  ``NUMBER`` vehicles are used and no route exceeds the capacity.

Integer coordinates (all of both sets) are handled exactly with :func:`math.isqrt`: ``nint``
is ``k + 1`` when ``d² > k² + k`` (``k = ⌊√d²⌋``), the truncation to tenths is ``⌊√(100 d²)⌋``.

A solution file has one line per non-empty route, ``Route #k: c1 c2 …``, numbered from 1, with
the clients as numbered in the published ``.sol`` files (VRPLIB: node id − 1, the depot being
node 1; Solomon: ``CUST NO.``, the depot being 0), then ``Cost X`` (an integer for CVRP, one
decimal for Solomon).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

__all__ = [
    "CheckInstance",
    "SolutionCheck",
    "check_solution",
    "edge_units",
    "format_solution",
    "read_check_instance",
    "read_solution",
    "write_solution",
]

Kind = Literal["CVRP", "VRPTW"]


@dataclass(frozen=True)
class CheckInstance:
    """What the checks need of an instance; node 0 is the depot, clients are 1..n.

    Attributes
    ----------
    name : str
        The instance's name.
    kind : {"CVRP", "VRPTW"}
        The set, which fixes the rounding convention.
    xy : ndarray of float, shape (n + 1, 2)
        Coordinates, depot first.
    demand : ndarray of int64, shape (n + 1,)
        Demand per node (0 at the depot).
    capacity : int
        Vehicle capacity.
    vehicles : int or None
        Fleet size (Solomon ``NUMBER``); None for an unbounded fleet.
    ready, due, service : ndarray of int64 or None
        Solomon only: time window and service time per node, in tenths of a time unit.
    """

    name: str
    kind: Kind
    xy: np.ndarray
    demand: np.ndarray
    capacity: int
    vehicles: int | None = None
    ready: np.ndarray | None = field(default=None, repr=False)
    due: np.ndarray | None = field(default=None, repr=False)
    service: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_clients(self) -> int:
        """Number of clients (nodes other than the depot)."""
        return len(self.xy) - 1

    @property
    def units_per_cost(self) -> int:
        """Integer edge units per unit of published cost (1 for CVRP, 10 for tenths)."""
        return 10 if self.kind == "VRPTW" else 1


@dataclass(frozen=True)
class SolutionCheck:
    """The outcome of :func:`check_solution`.

    Attributes
    ----------
    cost : float
        The routes' cost by the set's convention (in the published unit).
    feasible : bool
        Every client exactly once, capacities, time windows and fleet size respected.
    problems : tuple of str
        What is wrong, one sentence each (empty when feasible).
    n_routes : int
        Non-empty routes.
    """

    cost: float
    feasible: bool
    problems: tuple[str, ...]
    n_routes: int


def _exact_integers(values: np.ndarray) -> bool:
    return bool(np.all(values == np.round(values)))


def edge_units(kind: Kind, a: tuple[float, float], b: tuple[float, float]) -> int:
    """The integer cost of the edge a→b: CVRP ``nint``; VRPTW truncated tenths.

    Examples
    --------
    >>> edge_units("CVRP", (0, 0), (3, 4)), edge_units("VRPTW", (0, 0), (3, 4))
    (5, 50)
    >>> edge_units("CVRP", (0, 0), (1, 1)), edge_units("VRPTW", (0, 0), (1, 1))
    (1, 14)
    >>> edge_units("CVRP", (0, 0), (1, 2))   # √5 = 2.236 → 2; √6.5 would round up
    2
    """
    dx, dy = a[0] - b[0], a[1] - b[1]
    if float(dx).is_integer() and float(dy).is_integer():
        d2 = int(dx) ** 2 + int(dy) ** 2
        if kind == "VRPTW":
            return math.isqrt(100 * d2)
        k = math.isqrt(d2)
        return k + 1 if d2 > k * k + k else k
    d = math.hypot(dx, dy)
    return math.floor(10 * d) if kind == "VRPTW" else math.floor(d + 0.5)


def _read_vrplib(path: Path) -> CheckInstance:
    text = path.read_text()
    head: dict[str, str] = {}
    sections: dict[str, list[list[str]]] = {}
    current: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if ":" in line and not line[0].isdigit() and not line.startswith("-"):
            key, _, value = line.partition(":")
            head[key.strip().upper()] = value.strip()
            current = None
        elif line.upper().endswith("_SECTION"):
            current = line.upper()
            sections[current] = []
        elif current is not None:
            sections[current].append(line.split())
    if head.get("EDGE_WEIGHT_TYPE", "") != "EUC_2D":
        msg = f"{path.name}: EDGE_WEIGHT_TYPE {head.get('EDGE_WEIGHT_TYPE')!r}, expected EUC_2D."
        raise ValueError(msg)
    coords = sorted((int(r[0]), float(r[1]), float(r[2]))
                    for r in sections["NODE_COORD_SECTION"])
    demands = {int(r[0]): int(r[1]) for r in sections["DEMAND_SECTION"]}
    depots = [int(r[0]) for r in sections.get("DEPOT_SECTION", [["1"]]) if int(r[0]) > 0]
    ids = [c[0] for c in coords]
    if depots != [ids[0]] or ids != list(range(ids[0], ids[0] + len(ids))):
        msg = f"{path.name}: the checks expect one depot, numbered first, then clients in order."
        raise ValueError(msg)
    xy = np.array([[c[1], c[2]] for c in coords])
    demand = np.array([demands.get(i, 0) for i in ids], np.int64)
    return CheckInstance(name=head.get("NAME", path.stem), kind="CVRP", xy=xy, demand=demand,
                         capacity=int(head["CAPACITY"]))


def _read_solomon(path: Path) -> CheckInstance:
    lines = [ln.split() for ln in path.read_text().splitlines()]
    name = lines[0][0] if lines and lines[0] else path.stem
    rows = [r for r in lines if len(r) == 7 and all(_is_number(v) for v in r)]
    fleet = next(r for r in lines if len(r) == 2 and all(v.isdigit() for v in r))
    table = np.array([[float(v) for v in r] for r in rows])
    if table[0, 0] != 0 or not np.array_equal(table[:, 0], np.arange(len(table))):
        msg = f"{path.name}: customers must be numbered 0 (depot), 1, 2, … in order."
        raise ValueError(msg)
    times = table[:, 4:7]
    if not _exact_integers(times):
        msg = f"{path.name}: the checks expect integer windows and service times."
        raise ValueError(msg)
    tenths = (times * 10).astype(np.int64)
    return CheckInstance(name=name, kind="VRPTW", xy=table[:, 1:3],
                         demand=table[:, 3].astype(np.int64), capacity=int(fleet[1]),
                         vehicles=int(fleet[0]), ready=tenths[:, 0], due=tenths[:, 1],
                         service=tenths[:, 2])


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def read_check_instance(path: str | Path) -> CheckInstance:
    """Read a VRPLIB ``.vrp`` (CVRP) or Solomon ``.txt`` (VRPTW) file for the checks.

    Raises
    ------
    ValueError
        A layout the checks do not cover (another edge weight type, depot not first, …).
    """
    path = Path(path)
    return _read_solomon(path) if path.suffix.lower() == ".txt" else _read_vrplib(path)


def check_solution(instance: CheckInstance, routes: list[list[int]]) -> SolutionCheck:
    """Re-cost ``routes`` (clients numbered 1..n, depot left out) and check them.

    Examples
    --------
    Two clients 3 and 4 units east and north of the depot, capacity 5:

    >>> inst = CheckInstance("tiny", "CVRP", np.array([[0, 0], [3, 0], [0, 4]]),
    ...                      np.array([0, 3, 3]), capacity=5)
    >>> check_solution(inst, [[1], [2]]).cost         # 3 + 3 + 4 + 4
    14.0
    >>> check_solution(inst, [[1, 2]]).problems[0]
    'route 1 carries 6, over the capacity 5'
    """
    units = 0
    problems: list[str] = []
    seen = np.zeros(instance.n_clients + 1, np.int64)
    xy = [tuple(p) for p in instance.xy.tolist()]
    non_empty = [r for r in routes if r]
    for k, route in enumerate(non_empty, 1):
        bad = [c for c in route if not 1 <= c <= instance.n_clients]
        if bad:
            problems.append(f"route {k} visits unknown clients {bad}")
            continue
        seen[route] += 1
        path = [0, *route, 0]
        legs = [edge_units(instance.kind, xy[a], xy[b]) for a, b in itertools.pairwise(path)]
        units += sum(legs)
        load = int(instance.demand[route].sum())
        if load > instance.capacity:
            problems.append(f"route {k} carries {load}, over the capacity {instance.capacity}")
        if instance.ready is not None and instance.due is not None and \
                instance.service is not None:
            t = int(instance.ready[0])
            for node, leg in zip(path[1:], legs, strict=True):
                t = max(t + leg, int(instance.ready[node]))
                if t > instance.due[node]:
                    where = "the depot" if node == 0 else f"client {node}"
                    problems.append(f"route {k} reaches {where} at {t / 10:g}, after its due "
                                    f"time {instance.due[node] / 10:g}")
                    break
                t += int(instance.service[node])
    missing = np.flatnonzero(seen[1:] == 0) + 1
    twice = np.flatnonzero(seen[1:] > 1) + 1
    if len(missing):
        problems.append(f"{len(missing)} clients not visited, e.g. {missing[:5].tolist()}")
    if len(twice):
        problems.append(f"{len(twice)} clients visited more than once, e.g. "
                        f"{twice[:5].tolist()}")
    if instance.vehicles is not None and len(non_empty) > instance.vehicles:
        problems.append(f"{len(non_empty)} routes, more than the {instance.vehicles} vehicles")
    return SolutionCheck(cost=units / instance.units_per_cost, feasible=not problems,
                         problems=tuple(problems), n_routes=len(non_empty))


def format_solution(kind: Kind, routes: list[list[int]], cost: float) -> str:
    """The text of a ``.sol`` file: ``Route #k: …`` lines numbered from 1, then ``Cost``.

    Examples
    --------
    >>> print(format_solution("VRPTW", [[5, 3], [], [2]], 1619.8), end="")
    Route #1: 5 3
    Route #2: 2
    Cost 1619.8
    """
    lines = [f"Route #{k}: {' '.join(map(str, r))}"
             for k, r in enumerate((r for r in routes if r), 1)]
    lines.append(f"Cost {cost:.1f}" if kind == "VRPTW" else f"Cost {round(cost)}")
    return "\n".join(lines) + "\n"


def write_solution(path: str | Path, kind: Kind, routes: list[list[int]], cost: float) -> Path:
    """Write :func:`format_solution` to ``path`` (folders created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_solution(kind, routes, cost))
    return path


_ROUTE = re.compile(r"^\s*Route\s*#\s*(\d+)\s*:(.*)$", re.IGNORECASE)


def read_solution(path: str | Path) -> tuple[list[list[int]], float | None]:
    """The routes (client numbers) and the stated cost of a ``.sol`` file (None if absent)."""
    routes: list[list[int]] = []
    cost: float | None = None
    for line in Path(path).read_text().splitlines():
        if m := _ROUTE.match(line):
            routes.append([int(v) for v in m.group(2).split()])
        elif line.strip().lower().startswith("cost"):
            cost = float(line.split()[1])
    return routes, cost
