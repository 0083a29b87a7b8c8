"""Lagrangian branch-and-bound for small p-median instances left open by the root bound.

Where the LP relaxation has a gap (typically small p), the root Lagrangian bound cannot certify
the heuristic's solution. This search branches on one site at a time (open / closed), bounds
each node by the Lagrangian relaxation with the node's sites forced, warm-started from the
parent's multipliers, and fixes further sites by reduced cost (Beasley 1993, section 4). It
works on the instance reduced by the root's fixing, so each subgradient step is a few
microseconds of array work.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass

import numpy as np

__all__ = ["BnbOutcome", "lagrangian_bnb"]


@dataclass(frozen=True)
class BnbOutcome:
    """Best solution found (column indices or None), its cost, and the proven lower bound."""

    sites: np.ndarray | None
    objective: float
    lower_bound: float
    complete: bool
    nodes: int


def _node_bound(cost: np.ndarray, p: int, lam: np.ndarray, *, forced: np.ndarray,
                banned: np.ndarray, ub: float, cutoff: float, step: float,
                iterations: int, patience: int
                ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, bool]:
    """Subgradient on the node's relaxation: bound, multipliers, ρ, chosen sites, feasible."""
    k = p - int(forced.sum())
    free = ~forced & ~banned
    best = (-np.inf, lam, np.zeros(cost.shape[1]), np.flatnonzero(forced), False)
    stall = 0
    for _ in range(iterations):
        rho = np.minimum(cost - lam[:, None], 0.0).sum(axis=0)
        free_idx = np.flatnonzero(free)
        pick = free_idx[np.argpartition(rho[free_idx], k - 1)[:k]] if k > 0 else free_idx[:0]
        chosen = np.concatenate([np.flatnonzero(forced), pick])
        bound = float(lam.sum() + rho[chosen].sum())
        grad = 1.0 - (cost[:, chosen] < lam[:, None]).sum(axis=1)
        if bound > best[0]:
            best = (bound, lam, rho, chosen, not grad.any())
            stall = 0
        else:
            stall += 1
            if stall >= patience:
                step, stall = step / 2, 0
        if bound >= cutoff or not grad.any() or step < 1e-3:
            break
        lam = np.maximum(lam + step * max(ub - bound, 1e-9) / float(grad @ grad) * grad, 0.0)
    return best


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
    """
    c = cost.shape[1]

    def cutoff_of(value: float) -> float:
        return value - (1.0 - 1e-6) if integral else value * (1 - rel_tol)

    best_sites, best_obj = ub_sites, ub
    cutoff = cutoff_of(best_obj)
    banned0 = np.zeros(c, bool)
    heap: list[tuple[float, int, bytes, bytes, np.ndarray]] = []
    counter = 0
    heapq.heappush(heap, (-np.inf, counter, forced.tobytes(), banned0.tobytes(), lam))
    nodes, complete, node_s = 0, True, 0.0
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
        bound, lam_b, rho, chosen, feasible = _node_bound(
            cost, p, lam_node, forced=node_forced, banned=node_banned, ub=best_obj,
            cutoff=cutoff,
            step=0.5 if nodes > 1 else 1.0, iterations=60 if nodes > 1 else 400, patience=6)
        node_s = max(node_s * 0.9, time.perf_counter() - started)
        obj = float(cost[:, chosen].min(axis=1).sum())
        if obj < best_obj - 1e-9:
            best_sites, best_obj = np.sort(chosen), obj
            cutoff = cutoff_of(best_obj)
        if bound >= cutoff or feasible:
            continue
        # Reduced-cost fixing at this node.
        free = ~node_forced & ~node_banned
        k = p - int(node_forced.sum())
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
        if k <= 0:
            continue
        free = ~node_forced & ~node_banned
        branch_on = np.flatnonzero(in_sel & free)
        if len(branch_on) == 0:
            continue
        j = int(branch_on[np.argmin(rho[branch_on])])
        for open_it in (True, False):
            f2, b2 = node_forced.copy(), node_banned.copy()
            (f2 if open_it else b2)[j] = True
            counter += 1
            heapq.heappush(heap, (bound, counter, f2.tobytes(), b2.tobytes(), lam_b))
    open_bounds = [h[0] for h in heap if h[0] < cutoff]
    lower = min([best_obj, *open_bounds]) if not complete else best_obj
    return BnbOutcome(sites=best_sites, objective=best_obj, lower_bound=lower,
                      complete=complete, nodes=nodes)
