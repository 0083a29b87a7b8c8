"""Solve one seed in a separate Python process: ``python -P geo/routing/worker.py IN OUT``.

``IN`` holds a pickled ``(ProblemData, seed, deadline, search)`` (``search`` the keyword
arguments of :func:`search_params`); the best solution found before the
wall-clock ``deadline`` (``time.time()``) is pickled to ``OUT`` as ``(seed, Solution,
iterations)``. A fresh interpreter (not a fork) is used so that the parent's threads and its
``__main__`` module (Streamlit, a user script) are never copied or re-run. Only PyVRP is
imported here, and the file is run by path (not with ``-m``), so the package ``geo.routing``
is not loaded: the process starts in a fraction of a second.
"""

from __future__ import annotations

import pickle
import sys
import time
import warnings
from pathlib import Path

from pyvrp import (
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


def solve_seed(data: ProblemData, seed: int, deadline: float,
               search: dict[str, int]) -> tuple[int, Solution, int]:
    """Best solution of ``data`` with ``seed`` until the wall-clock ``deadline``."""
    remaining = max(0.05, deadline - time.time())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PenaltyBoundWarning)  # the parent explains infeasibility
        result = solve(data, MaxRuntime(remaining), seed=seed, collect_stats=False,
                       display=False,
                       params=search_params(num_neighbours=search["num_neighbours"],
                                            max_perturbations=search["max_perturbations"]))
    return seed, result.best, result.num_iterations


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
