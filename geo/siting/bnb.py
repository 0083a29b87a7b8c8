"""Lagrangian branch-and-bound for p-median instances left open by the root bound.

Where the LP relaxation has a gap (typically small p), the root Lagrangian bound cannot certify
the heuristic's solution. This search branches on one site at a time (open / closed), bounds
each node by the Lagrangian relaxation with the node's sites forced or banned, warm-started
from the parent's multipliers, and fixes further sites by reduced cost (Beasley 1993, section
4). Nodes are taken best bound first. It works on the instance reduced by the root's fixing,
with the relaxation evaluated on each row's cheapest entries only
(:class:`geo.siting.lagrangian.LagrangianRelaxation`).

A node's subgradient search is short and stops early when the bound is not going to reach the
cutoff: most of the work of a tree goes into nodes that are branched anyway, and a few more,
cheaper nodes cost less than converged bounds on all of them.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass

import numpy as np

from geo.siting.lagrangian import LagrangianRelaxation, ascend

__all__ = ["BnbOutcome", "lagrangian_bnb"]


@dataclass(frozen=True)
class BnbOutcome:
    """Best solution found (column indices or None), its cost, and the proven lower bound."""

    sites: np.ndarray | None
    objective: float
    lower_bound: float
    complete: bool
    nodes: int
    iterations: int = 0


# Subgradient schedule: the root node of the tree, then every other node.
_ROOT_ITERATIONS, _ROOT_STEP = 400, 1.0
_NODE_ITERATIONS, _NODE_STEP, _NODE_PATIENCE, _NODE_STALL_RATIO = 60, 2.0, 6, 3.0


def lagrangian_bnb(cost: np.ndarray, p: int, lam: np.ndarray, *, forced: np.ndarray,
                   ub: float, ub_sites: np.ndarray | None, integral: bool,
                   deadline: float, rel_tol: float = 1e-9) -> BnbOutcome:
    """Search for a solution cheaper than ``ub`` on ``cost`` (rows × kept sites).

    Parameters
    ----------
    cost : ndarray, shape (n, c)
        Weighted costs restricted to the sites left after root fixing.
    p : int
        Sites to open.
    lam : ndarray, shape (n,)
        The root's best multipliers (warm start).
    forced : ndarray of bool, shape (c,)
        Sites fixed open at the root.
    ub, ub_sites : float, ndarray or None
        The incumbent's cost and sites (column indices of ``cost``, or None if it uses a site
        outside the reduced set).
    integral : bool
        All costs are integers, so a node whose bound exceeds ``ub − 1`` can be pruned.
    deadline : float
        ``time.perf_counter()`` value at which to stop; the bound then covers open nodes.
    rel_tol : float
        Relative gap regarded as closed when costs are not integers.
    """
    c = cost.shape[1]
    relax = LagrangianRelaxation(cost)

    def cutoff_of(value: float) -> float:
        return value - (1.0 - 1e-6) if integral else value - rel_tol * abs(value)

    best_sites, best_obj = ub_sites, ub
    cutoff = cutoff_of(best_obj)
    heap: list[tuple[float, int, bytes, bytes, np.ndarray]] = []
    counter = 0
    heapq.heappush(heap, (-np.inf, counter, forced.tobytes(), np.zeros(c, bool).tobytes(), lam))
    nodes, iterations, complete, node_s = 0, 0, True, 0.0
    while heap:
        started = time.perf_counter()
        if started + node_s > deadline:  # stop before a node would overrun the budget
            complete = False
            break
        parent_bound, _, f_b, b_b, lam_node = heapq.heappop(heap)
        if parent_bound >= cutoff:
            continue
        node_forced = np.frombuffer(f_b, dtype=bool).copy()
        node_banned = np.frombuffer(b_b, dtype=bool).copy()
        if node_forced.sum() > p or (~node_banned).sum() < p:
            continue
        nodes += 1
        forced_idx = np.flatnonzero(node_forced)
        free_idx = np.flatnonzero(~node_forced & ~node_banned)
        root = nodes == 1
        point, used = ascend(
            relax, p, lam_node, forced=forced_idx, free=free_idx,
            lam_cap=cost[:, forced_idx].min(axis=1) if len(forced_idx) else None,
            target=best_obj, cutoff=cutoff,
            iterations=_ROOT_ITERATIONS if root else _NODE_ITERATIONS,
            step=_ROOT_STEP if root else _NODE_STEP, patience=_NODE_PATIENCE,
            stall_ratio=0.0 if root else _NODE_STALL_RATIO)
        iterations += used
        node_s = max(node_s * 0.9, time.perf_counter() - started)
        bound, rho, chosen = point.bound, point.rho, point.chosen
        obj = float(cost[:, chosen].min(axis=1).sum())
        if obj < best_obj - 1e-9:
            best_sites, best_obj = np.sort(chosen), obj
            cutoff = cutoff_of(best_obj)
        if bound >= cutoff or point.feasible:
            continue
        # Reduced-cost fixing at this node.
        free = ~node_forced & ~node_banned
        in_sel = np.zeros(c, bool)
        in_sel[chosen] = True
        sel_free = np.flatnonzero(in_sel & free)
        out_free = np.flatnonzero(~in_sel & free)
        if len(sel_free) and len(out_free):
            worst_in = rho[sel_free].max()
            best_out = rho[out_free].min()
            node_banned[out_free[bound + rho[out_free] - worst_in >= cutoff]] = True
            if (~node_banned).sum() < p:
                continue
            node_forced[sel_free[bound - rho[sel_free] + best_out >= cutoff]] = True
        if p - int(node_forced.sum()) <= 0:
            continue
        free = ~node_forced & ~node_banned
        branch_on = np.flatnonzero(in_sel & free)
        if len(branch_on) == 0:
            continue
        # The most attractive open site: closing it costs the bound most.
        j = int(branch_on[np.argmin(rho[branch_on])])
        for open_it in (True, False):
            f2, b2 = node_forced.copy(), node_banned.copy()
            (f2 if open_it else b2)[j] = True
            counter += 1
            heapq.heappush(heap, (bound, counter, f2.tobytes(), b2.tobytes(), point.lam))
    open_bounds = [h[0] for h in heap if h[0] < cutoff]
    lower = min([best_obj, *open_bounds]) if not complete else best_obj
    return BnbOutcome(sites=best_sites, objective=best_obj, lower_bound=lower,
                      complete=complete, nodes=nodes, iterations=iterations)
