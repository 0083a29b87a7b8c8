"""Solve one seed in a separate Python process: ``python -P geo/routing/worker.py IN OUT``.

``IN`` holds a pickled ``(ProblemData, seed, deadline, search)`` (``search`` the keyword
arguments of :func:`search_params`, and ``squeeze_at``: see :func:`solve_seed`); the best
solution found before the wall-clock ``deadline`` (``time.time()``) is pickled to ``OUT`` as
``(seed, Solution, iterations)``. A fresh interpreter (not a fork) is used so that the
parent's threads and its ``__main__`` module (Streamlit, a user script) are never copied or
re-run. Only PyVRP is imported here, and the file is run by path (not with ``-m``), so the
package ``geo.routing`` is not loaded: the process starts in a fraction of a second.
"""

from __future__ import annotations

import math
import pickle
import sys
import time
import warnings
from pathlib import Path
from typing import Final

from pyvrp import (
    CostEvaluator,
    IteratedLocalSearchCallbacks,
    IteratedLocalSearchParams,
    ProblemData,
    Solution,
    SolveParams,
    solve,
)
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.search import NeighbourhoodParams, PerturbationParams
from pyvrp.stop import MaxRuntime


def search_params(*, num_neighbours: int, max_perturbations: int,
                  callbacks: IteratedLocalSearchCallbacks | None = None) -> SolveParams:
    """PyVRP's parameters with the planner's neighbourhood size and perturbation strength
    (:class:`geo.routing.solve.SolverOptions` says why they differ from PyVRP's defaults)."""
    ils = (IteratedLocalSearchParams() if callbacks is None
           else IteratedLocalSearchParams(callbacks=callbacks))
    return SolveParams(ils=ils,
                       neighbourhood=NeighbourhoodParams(num_neighbours=num_neighbours),
                       perturbation=PerturbationParams(1, max_perturbations))


GIVE_UP: Final = 0.25
"""The share of the time limit a search with one vehicle fewer gets to find a feasible plan
before the search goes back to the full fleet (see :func:`solve_seed`)."""


def fleet_bound(data: ProblemData) -> int | None:
    """The fewest vehicles whose capacity can carry every required client's load, in every
    load dimension and over every trip a vehicle may make; ``None`` with several vehicle
    types (one vehicle fewer is then not one number).

    Examples
    --------
    >>> from pyvrp import Model
    >>> m = Model()
    >>> _ = m.add_depot(m.add_location(0, 0))
    >>> _ = m.add_vehicle_type(3, capacity=10)
    >>> for x, load in ((1, 6), (2, 6), (3, 5)):
    ...     _ = m.add_client(m.add_location(x, 0), delivery=load)
    >>> data = m.data()
    >>> fleet_bound(data)  # 17 t on 10 t vehicles
    2
    """
    types = data.vehicle_types()
    if len(types) != 1:
        return None
    vt = types[0]
    trips = min(int(vt.max_trips), 10**6) if vt.reload_depots else 1
    need = 1
    for dim, capacity in enumerate(vt.capacity):
        if capacity <= 0:
            continue
        load = max(sum(c.delivery[dim] for c in data.clients() if c.required),
                   sum(c.pickup[dim] for c in data.clients() if c.required))
        need = max(need, math.ceil(load / (int(capacity) * trips)))
    return need


def _cost(solution: Solution) -> float:
    """The plan's cost; infinite when it is not feasible."""
    if not solution.is_feasible():
        return math.inf
    return float(CostEvaluator([0] * len(solution.excess_load()), 0, 0).cost(solution))


class _UntilOrNoFeasible:
    """Stop at ``deadline``, or at ``give_up`` when no feasible plan was found by then."""

    def __init__(self, deadline: float, give_up: float) -> None:
        self.deadline, self.give_up = deadline, give_up

    def __call__(self, best_cost: float) -> bool:
        now = time.time()
        return now >= self.deadline or (now >= self.give_up and best_cost >= sys.maxsize)


def _solve(data: ProblemData, stop: object, seed: int, search: dict[str, float],
           initial: Solution | None = None) -> tuple[Solution, int]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PenaltyBoundWarning)  # the parent explains infeasibility
        result = solve(data, stop, seed=seed, collect_stats=False,  # type: ignore[arg-type]
                       display=False, initial_solution=initial,
                       params=search_params(num_neighbours=int(search["num_neighbours"]),
                                            max_perturbations=int(search["max_perturbations"])))
    return result.best, result.num_iterations


def solve_seed(data: ProblemData, seed: int, deadline: float,
               search: dict[str, float]) -> tuple[int, Solution, int]:
    """Best solution of ``data`` with ``seed`` until the wall-clock ``deadline``.

    With ``search["squeeze_at"]`` = *f* > 0 and one vehicle type (a round planned for several
    days has one per day, and is searched whole, as without a squeeze), the search tries one
    vehicle fewer after a share *f* of its time: a local search that has settled on *K* routes
    rarely empties one of them by itself, even where *K* − 1 routes are shorter in all (on
    Solomon's RC101, 16 routes at 0.9 % above the best-known 15-route plan, in every seed
    tried). It solves again with at most *K* − 1 vehicles, where the fleet's capacity allows
    that many (:func:`fleet_bound`); if that finds no feasible plan within :data:`GIVE_UP` of
    the time, it goes back to the full fleet from the best plan so far. The cheaper plan is
    returned.
    """
    start = time.time()
    squeeze_at = float(search.get("squeeze_at", 0.0))
    total = max(0.05, deadline - start)
    bound = fleet_bound(data)
    if squeeze_at <= 0 or bound is None:  # several vehicle types (days): one whole search
        best, iterations = _solve(data, MaxRuntime(total), seed, search)
        return seed, best, iterations
    best, iterations = _solve(data, MaxRuntime(total * squeeze_at), seed, search)
    routes = best.num_routes()
    if not best.is_feasible() or routes - 1 < max(bound, 1):
        more, n = _solve(data, MaxRuntime(max(0.05, deadline - time.time())), seed, search,
                         initial=best)
        return seed, (more if _cost(more) <= _cost(best) else best), iterations + n
    vt = data.vehicle_type(0)
    fewer = data.replace(vehicle_types=[vt.replace(num_available=routes - 1)])
    stop = _UntilOrNoFeasible(deadline, time.time() + GIVE_UP * total)
    squeezed, n = _solve(fewer, stop, seed, search)
    iterations += n
    if squeezed.is_feasible():  # a plan of ``fewer`` is a plan of ``data`` with a vehicle idle
        return seed, (squeezed if _cost(squeezed) < _cost(best) else best), iterations
    more, n = _solve(data, MaxRuntime(max(0.05, deadline - time.time())), seed, search,
                     initial=best)
    return seed, (more if _cost(more) <= _cost(best) else best), iterations + n


def main(argv: list[str]) -> int:
    """Read the job from ``argv[0]``, write the result to ``argv[1]``."""
    src, dst = Path(argv[0]), Path(argv[1])
    data, seed, deadline, search = pickle.loads(src.read_bytes())
    out = solve_seed(data, int(seed), float(deadline), dict(search))
    tmp = dst.with_suffix(".part")
    tmp.write_bytes(pickle.dumps(out))
    tmp.replace(dst)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
