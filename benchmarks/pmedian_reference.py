"""Helpers of the p-median benchmark: HiGHS as shipped, weighted variants, proofs, spreads.

Kept apart from :mod:`benchmarks.siting_bench` so that each has a unit test with a
hand-checkable case (``tests/benchmarks/test_pmedian_reference.py``).
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["HighsRun", "Spread", "bound_proves", "demand_weights", "gap_pct", "highs_reference",
           "is_integral", "select_instances"]

# The solver's default relative tolerance (PMedianParams.rel_tol): a bound this close proves.
REL_TOL = 1e-9


@dataclass(frozen=True)
class HighsRun:
    """One run of HiGHS on the radius MILP of a p-median instance.

    Attributes
    ----------
    objective : float
        Cost of the best solution HiGHS found (nan if none).
    bound : float
        HiGHS's dual bound (-inf if none).
    status : str
        HiGHS's model status, e.g. ``"Optimal"`` or ``"Time limit reached"``.
    optimal : bool
        HiGHS declared optimality: its MIP gap is within its own tolerances
        (``mip_rel_gap`` / ``mip_abs_gap``, defaults 1e-4 / 1e-6).
    mip_gap : float
        HiGHS's relative gap ``(objective − bound) / objective``.
    time_s : float
        Wall-clock seconds from the cost matrix to the answer (model building included).
    """

    objective: float
    bound: float
    status: str
    optimal: bool
    mip_gap: float
    time_s: float


def highs_reference(cost: np.ndarray, p: int, *, time_limit_s: float) -> HighsRun:
    """Solve ``min Σ_i min_{j open} cost[i, j]`` over ``p`` open sites with HiGHS's defaults.

    The model is Elloumi's radius formulation (:func:`geo.siting.pmedian.radius_model`) over
    every site, with no cutoff, no objective bound, no start and no option changed but the
    time limit, the log (off) and ``threads = 1``: presolve, cuts and primal heuristics as
    shipped. One thread, like our solver and :func:`geo.siting.milp.solve_milp`: HiGHS keeps
    one thread scheduler per process, and a run with its default (half the cores) would make
    every later ``threads = 1`` run in the process fail; its branch-and-bound is serial anyway.

    Parameters
    ----------
    cost : ndarray, shape (n, m)
        Weighted assignment costs (e.g. distance × tonnes).
    p : int
        Sites to open.
    time_limit_s : float
        HiGHS's ``time_limit`` (seconds).
    """
    from geo.siting.milp import highs_from_model
    from geo.siting.pmedian import PMedianInstance, radius_model

    t0 = time.perf_counter()
    inst = PMedianInstance(np.asarray(cost, dtype=float))
    model = radius_model(inst, p, np.ones(inst.m, bool), forced=np.zeros(inst.m, bool))
    h = highs_from_model(model)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("threads", 1)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    has_x = info.primal_solution_status == 2  # kSolutionStatusFeasible
    objective = float(info.objective_function_value) if has_x else float("nan")
    bound = float(info.mip_dual_bound)
    if not np.isfinite(bound):
        bound = -np.inf
    return HighsRun(objective=objective, bound=bound, status=status,
                    optimal=status == "Optimal", mip_gap=float(info.mip_gap),
                    time_s=time.perf_counter() - t0)


def is_integral(cost: np.ndarray) -> bool:
    """Every cost is an integer (so every solution's objective is one)."""
    return bool(np.all(cost == np.round(cost)))


def bound_proves(objective: float, bound: float, *, integral: bool,
                 rel_tol: float = REL_TOL) -> bool:
    """A lower ``bound`` proves ``objective`` optimal.

    It does when ``bound ≥ objective − rel_tol · max(1, |objective|)``; with integer costs also
    when ``bound > objective − 1`` (the optimum is an integer above the bound). Nothing else
    (no solver flag) counts as a proof.

    Examples
    --------
    >>> bound_proves(10.0, 9.2, integral=True), bound_proves(10.0, 9.2, integral=False)
    (True, False)
    """
    if not (np.isfinite(objective) and np.isfinite(bound)):
        return False
    if bound >= objective - rel_tol * max(1.0, abs(objective)):
        return True
    return integral and bound > objective - (1.0 - 1e-6)


def gap_pct(value: float, reference: float) -> float:
    """``100 · (value − reference) / |reference|`` (0 when both are 0)."""
    if reference == 0:
        return 0.0 if value == 0 else float("inf")
    return 100.0 * (value - reference) / abs(reference)


def demand_weights(n: int, *, seed: int, mean_log_t: float = 3.0,
                   sigma_log_t: float = 1.0) -> np.ndarray:
    """Reproducible lognormal tonnages per demand point, like the app's supplier records.

    ``numpy.random.default_rng(seed).lognormal(mean_log_t, sigma_log_t, n)``: a median of
    e^3 ≈ 20 t, a long right tail, never an integer in practice. The benchmark seeds each
    instance by its number (pmed7 → 7).
    """
    return np.random.default_rng(seed).lognormal(mean_log_t, sigma_log_t, n)


def select_instances(spec: str, names: Sequence[str]) -> list[str]:
    """The names of ``names`` that ``spec`` picks, in ``names``'s order.

    ``spec`` is ``"all"``, ``"none"`` (or empty), or a comma-separated list of names and
    ranges such as ``"pmed1-5,pmed8"``.

    Examples
    --------
    >>> select_instances("pmed2-3,pmed9", ["pmed1", "pmed2", "pmed3", "pmed9"])
    ['pmed2', 'pmed3', 'pmed9']
    """
    spec = spec.strip()
    if spec == "all":
        return list(names)
    if spec in ("", "none"):
        return []
    wanted: set[str] = set()
    for part in (s.strip() for s in spec.split(",") if s.strip()):
        m = re.fullmatch(r"([A-Za-z_]+)(\d+)-(?:\1)?(\d+)", part)
        if m:
            prefix, lo, hi = m.group(1), int(m.group(2)), int(m.group(3))
            wanted.update(f"{prefix}{k}" for k in range(lo, hi + 1))
        else:
            wanted.add(part)
    return [n for n in names if n in wanted]


@dataclass(frozen=True)
class Spread:
    """Median, min and max of repeated measurements."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """The spread of ``values`` (at least one)."""
        return cls(float(statistics.median(values)), float(min(values)), float(max(values)))

    def __str__(self) -> str:
        return f"{self.median:.2f} [{self.low:.2f}–{self.high:.2f}]"
