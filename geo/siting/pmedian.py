"""The p-median problem: choose p sites minimising the total weighted assignment cost.

The core works on a cost matrix ``cost[i, j]`` (demand point ``i`` served from candidate ``j``,
already weighted, e.g. tonnes × km × €/t·km) and proceeds in three stages:

1. **Heuristic** — greedy construction, then vertex substitution (Teitz–Bart) with the fast
   swap evaluation of Whitaker / Resende & Werneck (2007): for every pair (open ``r``, closed
   ``f``) the change is ``loss(r) − gain(f) − extra(r, f)``, computed from the customers'
   nearest and second-nearest open sites in one sparse pass.
2. **Lagrangian relaxation** of the assignment constraints, maximised by subgradient
   optimisation (Beasley 1993). It gives a lower bound that certifies the gap of the best
   solution; every Lagrangian solution is also a start for the swap search (a Lagrangian
   heuristic), which makes the search far more robust than random restarts.
3. **Exact polish** (optional) — when the gap is not closed, reduced-cost variable fixing
   with the best multipliers removes most sites, and the reduced problem is solved as a MILP
   by HiGHS (Elloumi's 2010 radius formulation); its proof closes the gap.

References
----------
Beasley, J.E. (1993) Lagrangean heuristics for location problems. *EJOR* 65: 383–399.
Resende, M.G.C. & Werneck, R.F. (2007) A fast swap-based local search procedure for location
problems. *Annals of OR* 150: 205–230.
Elloumi, S. (2010) A computational study of a tighter formulation of the p-median problem.
*Computational Optimization and Applications* 45: 123–149.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from geo.errors import SitingError
from geo.siting.bnb import lagrangian_bnb
from geo.siting.lagrangian import LagrangianRelaxation
from geo.siting.milp import MilpModel, MilpSolution, solve_milp

__all__ = ["PMedianInstance", "PMedianParams", "PMedianResult", "radius_milp", "radius_model",
           "solve_pmedian"]

logger = logging.getLogger(__name__)

_SEARCH_SHARE = 0.5


@dataclass(frozen=True)
class PMedianParams:
    """Knobs of :func:`solve_pmedian`.

    Attributes
    ----------
    time_limit_s : float
        Overall wall-clock budget (seconds); the best solution so far is returned.
    max_iterations : int
        Subgradient iterations at most.
    patience : int
        Subgradient iterations without a better bound before the step is halved.
    min_step : float
        The subgradient stops when the step factor falls below this.
    exact : {"branch-and-bound", "milp", "none"}
        How to close a gap the root bound leaves open, on the problem reduced by fixing:
        the Lagrangian branch-and-bound (default, fast), the HiGHS MILP, or not at all.
    milp_max_candidates : int
        Skip the MILP when more candidates than this survive reduced-cost fixing.
    rel_tol : float
        Relative gap regarded as closed for non-integer costs.
    seed : int
        Seed of the random tie-breaking in local search starts.
    workers : int
        Processes the branch-and-bound may share a large tree between (1 or 2).
    split_after_s : float
        A branch-and-bound tree still open after this long is shared with a second process.
    only_free_cores : bool
        Share it only when a second core is idle at that moment (off in benchmarks, so that
        their figures do not depend on the machine's load).
    """

    time_limit_s: float = 5.0
    max_iterations: int = 3000
    patience: int = 25
    min_step: float = 2e-4
    exact: Literal["branch-and-bound", "milp", "none"] = "branch-and-bound"
    milp_max_candidates: int = 400
    rel_tol: float = 1e-9
    seed: int = 0
    workers: int = 2
    split_after_s: float = 0.3
    only_free_cores: bool = True

    def __post_init__(self) -> None:
        checks = {
            "time_limit_s": self.time_limit_s > 0,
            "max_iterations": self.max_iterations >= 0,
            "patience": self.patience >= 1,
            "min_step": self.min_step > 0,
            "milp_max_candidates": self.milp_max_candidates >= 1,
            "rel_tol": self.rel_tol >= 0,
            "workers": self.workers in (1, 2),
            "split_after_s": self.split_after_s >= 0,
            "exact": self.exact in ("branch-and-bound", "milp", "none"),
        }
        for name, ok in checks.items():
            if not ok:
                msg = (f"PMedianParams.{name} is out of range: got {getattr(self, name)!r}; "
                       "time and step limits must be positive, counts at least 1, "
                       "workers 1 or 2.")
                raise SitingError(msg)


@dataclass(frozen=True)
class PMedianResult:
    """A p-median solution with its certificate.

    Attributes
    ----------
    facilities : ndarray of int
        Column indices of the chosen sites (sorted).
    assignment : ndarray of int
        For each demand row, the column of the site serving it (the cheapest chosen one).
    objective : float
        Total weighted cost of the solution.
    lower_bound : float
        A proven lower bound on the optimum (rounded up when all costs are integers).
    proven_optimal : bool
        True when the lower bound meets the objective.
    method : str
        Which stage certified or produced the result: ``"enumeration"``, ``"lagrangian"``,
        ``"milp"`` or ``"heuristic"`` (gap not closed within the budget).
    iterations : int
        Subgradient iterations run.
    time_s : float
        Wall-clock time (seconds).
    """

    facilities: np.ndarray
    assignment: np.ndarray
    objective: float
    lower_bound: float
    proven_optimal: bool
    method: str
    iterations: int = 0
    time_s: float = 0.0
    log: dict[str, float] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """Proven relative gap ``(objective − lower_bound) / objective`` (0 when optimal)."""
        if self.objective <= 0:
            return 0.0
        return max(0.0, (self.objective - self.lower_bound) / self.objective)


# --------------------------------------------------------------------------------------------
# Fast swap local search
# --------------------------------------------------------------------------------------------


class PMedianInstance:
    """Cost matrix with each row's candidates sorted by cost (shared by all stages).

    Public so that benchmarks can run its greedy and swap stages alone as a reference.
    """

    def __init__(self, cost: np.ndarray) -> None:
        self.cost = cost
        self.n, self.m = cost.shape
        self.order = np.argsort(cost, axis=1, kind="stable").astype(np.int32)
        self.sorted = np.take_along_axis(cost, self.order, axis=1)
        self.rank = np.empty_like(self.order)
        np.put_along_axis(self.rank, self.order,
                          np.broadcast_to(np.arange(self.m, dtype=np.int32), cost.shape), axis=1)
        self.rows = np.arange(self.n)
        self.integral = bool(np.all(cost == np.round(cost)))
        self._order_flat = self.order.ravel().astype(np.intp)
        self._sorted_flat = self.sorted.ravel()
        self._row_start = self.rows * self.m

    def nearest_two(self, open_idx: np.ndarray) -> tuple[np.ndarray, ...]:
        """Position (in ``open_idx``) and cost of each row's nearest and second-nearest site."""
        sub = self.cost[:, open_idx]
        two = np.argpartition(sub, 1, axis=1)[:, :2]
        c2 = np.take_along_axis(sub, two, axis=1)
        swap = c2[:, 1] < c2[:, 0]
        pos1 = np.where(swap, two[:, 1], two[:, 0])
        pos2 = np.where(swap, two[:, 0], two[:, 1])
        return pos1, sub[self.rows, pos1], pos2, sub[self.rows, pos2]

    def objective(self, open_idx: np.ndarray) -> float:
        return float(self.cost[:, open_idx].min(axis=1).sum())

    def local_search(self, open_idx: np.ndarray) -> tuple[np.ndarray, float]:
        """Best-improvement vertex substitution until no swap improves (needs p ≥ 2)."""
        open_idx = np.array(open_idx, dtype=np.int64)
        p, m = len(open_idx), self.m
        is_open = np.zeros(m, bool)
        is_open[open_idx] = True
        while True:
            pos1, d1, pos2, d2 = self.nearest_two(open_idx)
            # Each row's entries up to its second-nearest open site (a prefix of the row).
            k2 = self.rank[self.rows, open_idx[pos2]].astype(np.intp)
            idx = np.arange(int(k2.sum())) + np.repeat(self._row_start - (np.cumsum(k2) - k2), k2)
            ri = np.repeat(self.rows, k2)
            v = self._sorted_flat[idx]
            col = self._order_flat[idx]
            gain = np.bincount(col, weights=np.maximum(d1[ri] - v, 0.0), minlength=m)
            extra_w = d2[ri] - np.maximum(v, d1[ri])
            extra = np.bincount(pos1[ri] * m + col, weights=extra_w,
                                minlength=p * m).reshape(p, m)
            loss = np.bincount(pos1, weights=d2 - d1, minlength=p)
            delta = loss[:, None] - gain[None, :] - extra
            delta[:, is_open] = np.inf
            best = int(np.argmin(delta))
            r, f = divmod(best, m)
            if not delta[r, f] < -1e-9 * max(1.0, float(d1.sum())):
                return np.sort(open_idx), float(d1.sum())
            is_open[open_idx[r]] = False
            is_open[f] = True
            open_idx[r] = f

    def greedy(self, p: int) -> np.ndarray:
        """Greedy construction: add the site that lowers the total cost most, p times."""
        first = int(np.argmin(self.cost.sum(axis=0)))
        chosen = [first]
        d1 = self.cost[:, first].copy()
        for _ in range(p - 1):
            gain = np.maximum(d1[:, None] - self.cost, 0.0).sum(axis=0)
            gain[chosen] = -1.0
            j = int(np.argmax(gain))
            chosen.append(j)
            np.minimum(d1, self.cost[:, j], out=d1)
        return np.array(chosen, dtype=np.int64)


def _fix_by_reduced_cost(rho: np.ndarray, bound: float, p: int, cutoff: float
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Sites that must be closed / open in any solution costing less than ``cutoff``."""
    order = np.argsort(rho, kind="stable")
    rho_p = rho[order[p - 1]]
    rho_next = rho[order[p]] if p < len(rho) else np.inf
    in_set = np.zeros(len(rho), bool)
    in_set[order[:p]] = True
    closed = ~in_set & (bound + rho - rho_p >= cutoff)
    opened = in_set & (bound - rho + rho_next >= cutoff)
    return closed, opened


def radius_model(inst: PMedianInstance, p: int, keep: np.ndarray, *,
                 forced: np.ndarray) -> MilpModel:
    """The p-median restricted to ``keep`` sites as a MILP (Elloumi's radius formulation).

    Per row the distinct costs over the kept sites ``D¹ < D² < … < Dᴷ`` (cut at the cheapest
    forced-open site) define ``z_k ∈ [0, 1]``, "no chosen site within Dᵏ", for k < K; the
    chained rows ``z_k − z_{k−1} + Σ_{j: c_ij = Dᵏ} y_j ≥ 0`` (``z_0 = 1``) keep the matrix
    sparse. The first ``keep.sum()`` columns are the sites' ``y`` (in index order).
    """
    cand = np.flatnonzero(keep)
    ny = len(cand)
    sub = inst.cost[:, cand]
    forced_cols = np.flatnonzero(forced[cand])
    cap = sub[:, forced_cols].min(axis=1) if len(forced_cols) else np.full(inst.n, np.inf)
    order = np.argsort(sub, axis=1, kind="stable")
    vals = np.take_along_axis(sub, order, axis=1)
    obj, ri, ci, vi, rlo = [np.zeros(ny)], [], [], [], []
    offset, nz = 0.0, ny
    for i in range(inst.n):
        v = vals[i][vals[i] <= cap[i]]
        new_level = np.r_[True, v[1:] != v[:-1]]
        levels = v[new_level]
        offset += float(levels[0])
        k = len(levels) - 1
        if k == 0:
            continue
        level_of = np.cumsum(new_level) - 1
        on = level_of < k
        zc = nz + np.arange(k)
        # z_k (coef 1), z_{k-1} (coef -1, k ≥ 2), and the sites at level k (coef 1).
        ri += [zc - ny, zc[1:] - ny, zc[level_of[on]] - ny]
        ci += [zc, zc[:-1], order[i][:len(v)][on]]
        vi += [np.ones(k), -np.ones(k - 1), np.ones(int(on.sum()))]
        rlo.append(np.r_[1.0, np.zeros(k - 1)])
        obj.append(np.diff(levels))
        nz += k
    nrow = nz - ny
    ri.append(np.full(ny, nrow))  # Σ y = p
    ci.append(np.arange(ny))
    vi.append(np.ones(ny))
    lower = np.zeros(nz)
    lower[forced_cols] = 1.0
    return MilpModel(
        cost=np.concatenate(obj), col_lower=lower, col_upper=np.ones(nz),
        integer=np.arange(nz) < ny,
        rows=(np.concatenate(ri), np.concatenate(ci), np.concatenate(vi)),
        row_lower=np.r_[np.concatenate(rlo) if rlo else np.zeros(0), p],
        row_upper=np.r_[np.full(nrow, np.inf), p], offset=offset)


def radius_milp(inst: PMedianInstance, p: int, keep: np.ndarray, *, forced: np.ndarray,
                time_limit_s: float, cutoff: float) -> tuple[np.ndarray | None, MilpSolution]:
    """Solve the p-median restricted to ``keep`` sites exactly (:func:`radius_model`).

    Only solutions below ``cutoff`` are sought. Returns the open sites of the best solution
    found (None if none) and the solver's outcome.
    """
    cand = np.flatnonzero(keep)
    ny = len(cand)
    model = radius_model(inst, p, keep, forced=forced)
    sol = solve_milp(model, time_limit_s=time_limit_s, cutoff=cutoff,
                     mip_abs_gap=0.999 if inst.integral else 1e-6)
    if sol.x is None:
        return None, sol
    return cand[sol.x[:ny] > 0.5], sol


def solve_pmedian(
    cost: np.ndarray,
    p: int,
    *,
    weights: np.ndarray | None = None,
    params: PMedianParams | None = None,
) -> PMedianResult:
    """Choose ``p`` columns minimising ``Σ_i weights_i · min_{j chosen} cost[i, j]``.

    Parameters
    ----------
    cost : ndarray, shape (n_demand, n_candidates)
        Finite, non-negative assignment costs (any unit: metres, seconds, euros).
    p : int
        Number of sites to choose, ``1 ≤ p ≤ n_candidates``.
    weights : ndarray, shape (n_demand,), optional
        Non-negative demand weights (e.g. tonnes per year); default 1.
    params : PMedianParams, optional
        Time limit and solver knobs.

    Returns
    -------
    PMedianResult
        The sites, each row's site, the objective, a proven lower bound and how it was
        certified.

    Examples
    --------
    >>> cost = np.array([[0., 5., 9.], [1., 4., 9.], [9., 5., 0.], [9., 6., 1.]])
    >>> r = solve_pmedian(cost, 2)
    >>> r.facilities.tolist(), r.objective, r.proven_optimal
    ([0, 2], 2.0, True)
    """
    t0 = time.perf_counter()
    params = params or PMedianParams()
    cost = np.asarray(cost, dtype=float)
    if cost.ndim != 2 or cost.shape[0] == 0 or cost.shape[1] == 0:
        msg = (f"The cost matrix must be 2-D with at least one demand row and one candidate "
               f"column, got shape {cost.shape!r}.")
        raise SitingError(msg)
    if not np.isfinite(cost).all() or (cost < 0).any():
        msg = ("The p-median needs finite, non-negative costs; drop demand points no candidate "
               "can reach (inf) before solving, or give them a penalty cost.")
        raise SitingError(msg)
    n, m = cost.shape
    if not 1 <= int(p) <= m:
        msg = (f"p must be between 1 and the number of candidate sites ({m}), got {p!r}; "
               "ask for fewer plants or add candidates.")
        raise SitingError(msg)
    p = int(p)
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if w.shape != (n,) or not np.isfinite(w).all() or (w < 0).any():
            msg = (f"weights must be {n} finite non-negative numbers (one per demand row), "
                   f"got shape {w.shape!r}.")
            raise SitingError(msg)
        cost = cost * w[:, None]

    def result(open_idx: np.ndarray, lb: float, method: str, iters: int = 0,
               **log: float) -> PMedianResult:
        open_idx = np.sort(np.asarray(open_idx, dtype=np.int64))
        sub = cost[:, open_idx]
        obj = float(sub.min(axis=1).sum())
        assign = open_idx[np.argmin(sub, axis=1)]
        tol = 1e-9 * max(1.0, abs(obj))
        return PMedianResult(facilities=open_idx, assignment=assign, objective=obj,
                             lower_bound=min(lb, obj), proven_optimal=lb >= obj - tol,
                             method=method, iterations=iters,
                             time_s=time.perf_counter() - t0, log=dict(log))

    if p in (1, m):
        best = np.array([int(np.argmin(cost.sum(axis=0)))]) if p == 1 else np.arange(m)
        obj = float(cost[:, best].min(axis=1).sum())
        return result(best, obj, "enumeration")

    inst = PMedianInstance(cost)
    deadline = t0 + params.time_limit_s
    best_set, ub = inst.local_search(inst.greedy(p))
    seen: set[bytes] = {best_set.tobytes()}

    # Subgradient optimisation of the Lagrangian dual, with a Lagrangian heuristic.
    relax = LagrangianRelaxation(cost, order=inst.order, sorted_cost=inst.sorted)
    all_sites, no_sites = np.arange(m), np.zeros(0, dtype=np.int64)
    lam = inst.nearest_two(best_set)[3].copy()
    best_lb, best_lam, best_rho = -np.inf, lam.copy(), np.zeros(m)
    step, stall, it, t_search = 2.0, 0, 0, 0.0

    def rounded(lb: float) -> float:
        return float(np.ceil(lb - 1e-6)) if inst.integral else lb

    def closed(lb: float) -> bool:
        return rounded(lb) >= ub - max(params.rel_tol * ub, 1e-9)

    window: tuple[float, np.ndarray | None] = (np.inf, None)
    history: list[float] = []
    while it < params.max_iterations and time.perf_counter() < deadline:
        it += 1
        point = relax.evaluate(lam, p, forced=no_sites, free=all_sites)
        bound, rho, chosen, grad = point.bound, point.rho, point.chosen, point.grad
        if bound > best_lb + 1e-9 * max(1.0, abs(bound)):
            best_lb, best_lam, best_rho, stall = bound, lam.copy(), rho, 0
        else:
            stall += 1
            if stall >= params.patience:
                step, stall = step / 2, 0
        # Lagrangian heuristic: the best new relaxed solution of each window is a start for
        # the swap search, which gets at most half of the time spent so far.
        key = np.sort(chosen).tobytes()
        if key not in seen:
            seen.add(key)
            value = inst.objective(chosen)
            if value < window[0]:
                window = (value, chosen)
        if window[1] is not None and t_search < (time.perf_counter() - t0) * _SEARCH_SHARE:
            t1 = time.perf_counter()
            cand_set, cand_obj = inst.local_search(window[1])
            t_search += time.perf_counter() - t1
            window = (np.inf, None)
            if cand_obj < ub - 1e-9:
                best_set, ub = cand_set, cand_obj
        if closed(best_lb) or step < params.min_step:
            break
        # Hand over to the exact stage once the bound creeps (a gap the LP cannot close).
        history.append(best_lb)
        if it > 200 and it % 50 == 0 and history[-1] - history[-51] < 0.002 * (ub - best_lb):
            break
        norm = float(grad @ grad)
        if norm == 0:  # the relaxed solution is feasible and costs the bound: optimal
            if inst.objective(chosen) < ub - 1e-9:
                best_set, ub = np.sort(chosen), inst.objective(chosen)
            break
        lam = np.maximum(lam + step * (ub - bound) / norm * grad, 0.0)

    lb = rounded(best_lb)
    log = {"subgradient_lb": best_lb, "lagrangian_s": time.perf_counter() - t0}
    if closed(best_lb):
        return result(best_set, lb, "lagrangian", it, **log)
    if params.exact == "none" or time.perf_counter() >= deadline:
        return result(best_set, lb, "heuristic", it, **log)

    # Reduced-cost fixing: the sites that any solution cheaper than the cutoff must (not) use.
    cutoff = ub - (1.0 - 1e-6 if inst.integral else params.rel_tol * ub)
    fixed_closed, fixed_open = _fix_by_reduced_cost(best_rho, best_lb, p, cutoff)
    keep = ~fixed_closed
    log["candidates_left"] = float(keep.sum())
    log["forced_open"] = float(fixed_open.sum())
    if params.exact == "milp":
        if keep.sum() > params.milp_max_candidates:
            return result(best_set, lb, "heuristic", it, **log)
        sites, sol = radius_milp(inst, p, keep, forced=fixed_open,
                                  time_limit_s=max(0.1, deadline - time.perf_counter()),
                                  cutoff=cutoff)
        complete, found, bound = sol.optimal, sites, sol.bound
    else:
        cand = np.flatnonzero(keep)
        pos = np.full(m, -1)
        pos[cand] = np.arange(len(cand))
        out = lagrangian_bnb(cost[:, cand], p, best_lam, forced=fixed_open[cand], ub=ub,
                             ub_sites=pos[best_set] if np.all(keep[best_set]) else None,
                             integral=inst.integral, deadline=deadline, rel_tol=params.rel_tol,
                             workers=params.workers, split_after_s=params.split_after_s,
                             only_free_cores=params.only_free_cores)
        complete, bound = out.complete, out.lower_bound
        found = cand[out.sites] if out.sites is not None else None
        log["nodes"] = float(out.nodes)
        log["node_iterations"] = float(out.iterations)
        log["bnb_processes"] = float(out.workers)
    if found is not None and inst.objective(found) < ub - 1e-9:
        best_set, ub = np.sort(found), inst.objective(found)
    # Solutions using a fixed-closed site cost at least the cutoff; the search bounds the rest.
    proven = ub if complete else max(lb, rounded(min(bound, cutoff)))
    return result(best_set, proven, params.exact, it, **log)
